/**
 * @fileoverview The runner reports, lifecycles render (Nx LifeCycle). Every method is
 * optional; the plain log, the JSONL run record, the ink UI and watch mode all implement
 * this interface and are combined with CompositeLifecycle.
 */
import type { Progress } from '../stages/define.js';

export type { Progress };

export type StageStatus = 'cached' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface RunInfo {
  runId: string;
  pipeline: string;
  /** Stages in plan order with why each will run or is cached. */
  stages: Array<{ name: string; type: string; willRun: boolean; reason: string }>;
}

export interface StageEndInfo {
  name: string;
  /** `cancelled`: stopped by Ctrl-C / SIGTERM (or a watch re-run), not a failure of its own. */
  status: 'done' | 'failed' | 'cancelled' | 'skipped' | 'cached';
  /** Cache key of the result (done stages). */
  key?: string;
  durationMs: number;
  error?: { code: string; message: string; hint?: string };
  /** Output folders by port. */
  outputs?: Record<string, string>;
  metrics?: Record<string, number>;
  stats?: Record<string, number | string>;
}

export interface RunSummary {
  runId: string;
  ok: boolean;
  durationMs: number;
  counts: Record<StageEndInfo['status'], number>;
}

export interface RunLifecycle {
  runStart?(info: RunInfo): void;
  stageStart?(name: string, type: string): void;
  stageProgress?(name: string, progress: Progress): void;
  stageLog?(name: string, level: 'debug' | 'info' | 'warn', message: string): void;
  stageMetric?(name: string, metric: string, value: number, step?: number): void;
  stageCached?(name: string, outputs: Record<string, string>): void;
  stageEnd?(info: StageEndInfo): void;
  runEnd?(summary: RunSummary): void | Promise<void>;
}

/** Fans every event out to several lifecycles. */
export class CompositeLifecycle implements RunLifecycle {
  constructor(private readonly parts: RunLifecycle[]) {}
  runStart(info: RunInfo): void { for (const p of this.parts) p.runStart?.(info); }
  stageStart(name: string, type: string): void { for (const p of this.parts) p.stageStart?.(name, type); }
  stageProgress(name: string, progress: Progress): void { for (const p of this.parts) p.stageProgress?.(name, progress); }
  stageLog(name: string, level: 'debug' | 'info' | 'warn', message: string): void { for (const p of this.parts) p.stageLog?.(name, level, message); }
  stageMetric(name: string, metric: string, value: number, step?: number): void { for (const p of this.parts) p.stageMetric?.(name, metric, value, step); }
  stageCached(name: string, outputs: Record<string, string>): void { for (const p of this.parts) p.stageCached?.(name, outputs); }
  stageEnd(info: StageEndInfo): void { for (const p of this.parts) p.stageEnd?.(info); }
  async runEnd(summary: RunSummary): Promise<void> { for (const p of this.parts) await p.runEnd?.(summary); }
}
