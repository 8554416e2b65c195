/**
 * @fileoverview The run record: every lifecycle event as JSONL under
 * `.trainyard/runs/<runId>/events.jsonl`, and at the end `run.json` (params and final
 * metrics per stage, the backend each stage used, and the meta it was given: pipeline, git
 * commit and dirty state, Trainyard version, requested backend, sweep trial) plus per-stage
 * `history.jsonl` of stepped metrics.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import type { Progress } from '../stages/define.js';
import type { RunInfo, RunLifecycle, RunSummary, StageEndInfo } from '../runner/lifecycle.js';
import type { GitInfo } from './provenance.js';

/** What a run record says about the run beside its stages. */
export interface RunMeta {
  pipeline: string;
  /** Resolved stage options by stage. */
  params: Record<string, unknown>;
  /** The backend the pipeline asked for (`auto` …); stages record the one they got. */
  backend: string;
  git?: GitInfo | null;
  version?: string;
  /** Set when the run is a sweep trial. */
  sweep?: { name: string; trial: number; params: Record<string, unknown> };
}

export class RunRecorder implements RunLifecycle {
  readonly dir: string;
  private readonly stages: Record<string, { status?: string; key?: string; durationMs?: number; metrics: Record<string, number>; error?: unknown; backend?: string }> = {};
  private buffer: string[] = [];
  private lastFlush = Date.now();

  constructor(runsDir: string, runId: string, private readonly meta: RunMeta) {
    this.dir = join(runsDir, runId);
    mkdirSync(this.dir, { recursive: true });
  }

  private write(event: string, data: object): void {
    this.buffer.push(JSON.stringify({ t: Date.now(), event, ...data }));
    if (this.buffer.length > 200 || Date.now() - this.lastFlush > 1000) this.flush();
  }
  private flush(): void {
    if (this.buffer.length === 0) return;
    appendFileSync(join(this.dir, 'events.jsonl'), this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.lastFlush = Date.now();
  }
  private stage(name: string) { return (this.stages[name] ??= { metrics: {} }); }

  runStart(info: RunInfo): void { this.write('runStart', info); }
  stageStart(name: string, type: string): void { this.write('stageStart', { name, type }); }
  stageProgress(name: string, progress: Progress): void { this.write('stageProgress', { name, progress }); }
  stageLog(name: string, level: string, message: string): void { this.write('stageLog', { name, level, message }); }
  stageMetric(name: string, metric: string, value: number, step?: number): void {
    this.stage(name).metrics[metric] = value;
    this.write('stageMetric', { name, metric, value, step });
    if (step !== undefined) appendFileSync(join(this.dir, `${name}.history.jsonl`), JSON.stringify({ step, [metric]: value }) + '\n');
  }
  stageCached(name: string, outputs: Record<string, string>): void {
    const s = this.stage(name);
    s.status = 'cached';
    s.key = /([0-9a-f]{64})/.exec(Object.values(outputs)[0] ?? '')?.[1];
    this.write('stageCached', { name, outputs });
  }
  stageEnd(info: StageEndInfo): void {
    const s = this.stage(info.name);
    Object.assign(s, { status: info.status, key: info.key, durationMs: info.durationMs, error: info.error });
    Object.assign(s.metrics, info.metrics ?? {});
    if (typeof info.stats?.backend === 'string') s.backend = info.stats.backend;
    this.write('stageEnd', info);
  }
  async runEnd(summary: RunSummary): Promise<void> {
    this.write('runEnd', summary);
    this.flush();
    await writeFileAtomic(join(this.dir, 'run.json'), JSON.stringify({ ...summary, ...this.meta, stages: this.stages }, null, 2));
  }
}
