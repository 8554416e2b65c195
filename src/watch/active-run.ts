/**
 * @fileoverview The run a watch session has in flight, and its cancellation: the whole run
 * (close, Ctrl-C), "start nothing new" (a change arrived: the next run plans with the new
 * pipeline), and one running stage at a time (an edit made it stale).
 */
import type { CompiledPipeline } from '../graph/compile.js';
import { CompositeLifecycle, type RunLifecycle } from '../runner/lifecycle.js';
import type { RunOptions } from '../runner/run.js';
import { staleStages } from './stale.js';
import type { WatchRun } from './types.js';

export class ActiveRun {
  /** Stages started and not ended. */
  private readonly running = new Set<string>();
  private readonly controller = new AbortController();
  private readonly drain = new AbortController();
  /** Per stage: cancels just that stage when it goes stale. */
  private readonly stages = new Map<string, AbortController>();

  /** @param deps stage → its external files (source inputs) */
  constructor(readonly run: WatchRun, private readonly deps: Map<string, string[]>) {}

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Cancels the whole run; running stages get their grace period to checkpoint. */
  cancel(): void {
    this.controller.abort();
  }

  /** The runPlan options that connect this run's cancellation. */
  runOptions(): Pick<RunOptions, 'signal' | 'drain' | 'stageSignal' | 'runId'> {
    return {
      runId: this.run.runId, signal: this.controller.signal, drain: this.drain.signal,
      stageSignal: (name) => {
        const c = new AbortController();
        this.stages.set(name, c);
        return c.signal;
      },
    };
  }

  /** `extra` plus the tracking of which stages are running. */
  lifecycle(extra: RunLifecycle | void): RunLifecycle {
    const tracker: RunLifecycle = {
      stageStart: (name) => { this.running.add(name); },
      stageEnd: (info) => { this.running.delete(info.name); },
    };
    return new CompositeLifecycle(extra ? [tracker, extra] : [tracker]);
  }

  /**
   * A change arrived: nothing new starts in this run. Returns the running stages the change
   * made stale (those in `finish` excepted); running stages still valid finish and are cached.
   */
  supersede(next: CompiledPipeline, changed: string[], finish: ReadonlySet<string>): string[] {
    this.drain.abort();
    const stale = staleStages(this.run.state.compiled, next, changed, this.deps);
    return [...this.running].filter((s) => stale.has(s) && !finish.has(s));
  }

  /** Cancels these running stages alone. */
  cancelStages(names: string[]): void {
    for (const s of names) this.stages.get(s)?.abort();
  }
}
