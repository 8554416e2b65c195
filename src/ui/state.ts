/**
 * @fileoverview The terminal UI's state, fed by runner lifecycle events. `UiState` is a
 * plain RunLifecycle (no React): it keeps one row per stage (status, elapsed, progress with
 * rate and ETA), the training panel of the stage that reports `loss`, a bounded log, and the
 * end-of-run summary. Views read `snapshot()` and re-render on `subscribe()`.
 */
import type { Progress, RunInfo, RunLifecycle, RunSummary, StageEndInfo, StageStatus } from '../runner/lifecycle.js';

export interface StageView {
  name: string;
  type: string;
  status: StageStatus;
  startedAt?: number;
  durationMs?: number;
  progress?: Progress;
  /** Units per second since the first progress event of this run. */
  rate?: number;
  etaMs?: number;
  error?: string;
  outputs?: Record<string, string>;
  metrics?: Record<string, number>;
}

export interface TrainingView {
  stage: string;
  step?: number;
  total?: number;
  /** Training loss per reported step, in order. */
  loss: number[];
  valLoss: Array<{ step: number; value: number }>;
  lr?: number;
  tokensPerS?: number;
  etaMs?: number;
  sample?: { step: number; text: string };
}

export interface LogLine { stage: string; level: 'debug' | 'info' | 'warn'; message: string; at: number }

export interface RunSnapshot {
  runId?: string;
  pipeline?: string;
  startedAt: number;
  stages: StageView[];
  training?: TrainingView;
  logs: LogLine[];
  summary?: RunSummary;
  cancelling: boolean;
}

export interface UiStateOptions {
  /** Clock, for tests. @default Date.now */
  now?: () => number;
  /** Log lines kept in memory (the full-log view shows these). @default 2000 */
  maxLogs?: number;
  /** Show debug logs. @default false */
  verbose?: boolean;
}

const SAMPLE_RE = /^sample at step (\d+): (.*)$/s;

export class UiState implements RunLifecycle {
  private readonly rows = new Map<string, StageView>();
  private readonly firstProgress = new Map<string, { done: number; at: number }>();
  private readonly listeners = new Set<() => void>();
  private state: RunSnapshot;
  private readonly now: () => number;

  constructor(private readonly opts: UiStateOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.state = { startedAt: this.now(), stages: [], logs: [], cancelling: false };
  }

  /** Registers a change listener; returns the unsubscribe function. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** The current immutable state (a new object after each change). */
  snapshot = (): RunSnapshot => this.state;

  /** Marks the run as being cancelled (shown in the header). */
  setCancelling(): void { this.update({ cancelling: true }); }

  private update(patch: Partial<RunSnapshot> = {}): void {
    this.state = { ...this.state, ...patch, stages: [...this.rows.values()] };
    for (const fn of this.listeners) fn();
  }

  private row(name: string, type = ''): StageView {
    let r = this.rows.get(name);
    if (!r) { r = { name, type, status: 'queued' }; this.rows.set(name, r); }
    return r;
  }

  private set(name: string, patch: Partial<StageView>): void {
    this.rows.set(name, { ...this.row(name), ...patch });
  }

  runStart(info: RunInfo): void {
    this.rows.clear();
    this.firstProgress.clear();
    for (const s of info.stages) this.rows.set(s.name, { name: s.name, type: s.type, status: 'queued' });
    this.update({ runId: info.runId, pipeline: info.pipeline, startedAt: this.now(), training: undefined, summary: undefined, logs: [], cancelling: false });
  }

  stageStart(name: string, type: string): void {
    this.set(name, { type, status: 'running', startedAt: this.now() });
    this.update();
  }

  stageProgress(name: string, p: Progress): void {
    const at = this.now();
    const first = this.firstProgress.get(name) ?? { done: p.done, at };
    if (!this.firstProgress.has(name)) this.firstProgress.set(name, first);
    const dt = (at - first.at) / 1000;
    const rate = dt > 0 && p.done > first.done ? (p.done - first.done) / dt : undefined;
    const etaMs = rate && p.total !== undefined ? (1000 * Math.max(0, p.total - p.done)) / rate : undefined;
    this.set(name, { progress: p, rate, etaMs });
    const t = this.state.training;
    const training = t?.stage === name && p.unit === 'steps' ? { ...t, step: p.done, total: p.total, etaMs } : t;
    this.update({ training });
  }

  stageMetric(name: string, metric: string, value: number, step?: number): void {
    let t = this.state.training;
    if (metric === 'loss' && t?.stage !== name) t = { stage: name, loss: [], valLoss: [] };
    if (!t || t.stage !== name) return;
    if (metric === 'loss') t = { ...t, loss: [...t.loss, value], step: step ?? t.step };
    else if (metric === 'val_loss') t = { ...t, valLoss: [...t.valLoss, { step: step ?? t.step ?? 0, value }] };
    else if (metric === 'lr') t = { ...t, lr: value };
    else if (metric === 'tokens_per_s') t = { ...t, tokensPerS: value };
    else return;
    this.update({ training: t });
  }

  stageLog(name: string, level: LogLine['level'], message: string): void {
    const m = SAMPLE_RE.exec(message);
    let training = this.state.training;
    if (m && training?.stage === name) {
      let text = m[2]!;
      try { text = JSON.parse(text) as string; } catch { /* shown as written */ }
      training = { ...training, sample: { step: Number(m[1]), text } };
    }
    if (level === 'debug' && !this.opts.verbose) { this.update({ training }); return; }
    const logs = [...this.state.logs, { stage: name, level, message, at: this.now() }];
    const max = this.opts.maxLogs ?? 2000;
    this.update({ training, logs: logs.length > max ? logs.slice(-max) : logs });
  }

  stageCached(name: string, outputs: Record<string, string>): void {
    this.set(name, { status: 'cached', outputs, durationMs: 0 });
    this.update();
  }

  stageEnd(info: StageEndInfo): void {
    const error = info.error ? `${info.error.code}: ${info.error.message}${info.error.hint ? ` (${info.error.hint})` : ''}` : undefined;
    this.set(info.name, { status: info.status, durationMs: info.durationMs, error, outputs: info.outputs, metrics: info.metrics, etaMs: undefined });
    this.update();
  }

  runEnd(summary: RunSummary): void {
    this.update({ summary });
  }
}
