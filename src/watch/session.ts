/**
 * @fileoverview One watch session: run, wait for a debounced change, reload, run again, until
 * closed. A change that arrives while a run is in flight reloads at once: the run starts
 * nothing new, and the running stages the change made stale are cancelled (see ActiveRun).
 * Load errors are reported once per distinct set (the same broken file seen again is quiet).
 */
import { TrainyardErrorList, asTrainyardError, formatError, type TrainyardError } from '../errors/index.js';
import { planSelection, type Plan } from '../graph/plan.js';
import { newRunId, runPlan } from '../runner/run.js';
import type { EngineState } from '../runner/staleness.js';
import { ActiveRun } from './active-run.js';
import { watchedFiles } from './files.js';
import type { WatchHandlers, WatchOptions, WatchRun } from './types.js';
import type { FileWatcher } from './watcher.js';

const errorsOf = (err: unknown): TrainyardError[] => (err instanceof TrainyardErrorList ? err.errors : [asTrainyardError(err)]);

export class WatchSession {
  /** Changed files not yet run for. */
  private pending: string[] = [];
  private current: ActiveRun | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private lastErrors = '';
  private readonly finish: ReadonlySet<string>;

  constructor(private readonly opts: WatchOptions, private readonly handlers: WatchHandlers, private readonly watcher: FileWatcher) {
    this.finish = new Set(opts.finish ?? []);
  }

  /** Runs until closed; the first run starts at once. */
  async loop(): Promise<void> {
    let trigger: string[] = [];
    for (let iteration = 1; !this.closed; iteration++) {
      await this.cycle(iteration, trigger);
      if (this.closed) break;
      if (this.pending.length === 0) await this.idle();
      trigger = [...new Set(this.pending)].sort();
      this.pending = [];
    }
  }

  /** A debounced batch of changed files. */
  changed(paths: string[]): void {
    if (this.closed) return;
    this.handlers.onChange?.(paths);
    this.pending.push(...paths);
    if (this.current) void this.checkStale(this.current, paths);
    this.wake?.();
  }

  /** Stops: the run in flight is cancelled gracefully, and the loop ends after it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current?.cancel();
    this.wake?.();
  }

  private async idle(): Promise<void> {
    this.handlers.onWatching?.(this.watcher.paths());
    await new Promise<void>((r) => { this.wake = r; });
    this.wake = undefined;
  }

  /** One load → plan → run; a load error is reported and the session waits for the next change. */
  private async cycle(iteration: number, trigger: string[]): Promise<void> {
    const loaded = await this.load();
    if (!loaded) return;
    const { state, plan } = loaded;
    this.lastErrors = '';
    const files = await watchedFiles(state, plan.stages);
    this.watcher.follow([...files.all, ...files.dirs]);
    const cur = new ActiveRun({ iteration, trigger, runId: newRunId(), stages: plan.stages, state }, files.deps);
    if (this.closed) return;
    this.current = cur;
    try {
      await this.runOnce(cur, plan);
    } catch (err) {
      this.handlers.onError?.(errorsOf(err));
    } finally {
      this.current = undefined;
    }
  }

  private async runOnce(cur: ActiveRun, plan: Plan): Promise<void> {
    const run: WatchRun = cur.run;
    const extra = await this.handlers.onRun?.(run);
    const summary = await runPlan(run.state, {
      plan, lifecycle: cur.lifecycle(extra), jobs: this.opts.jobs, keepGoing: this.opts.keepGoing, graceMs: this.opts.graceMs, ...cur.runOptions(),
    });
    await this.handlers.onRunEnd?.(summary, run);
  }

  private async load(): Promise<{ state: EngineState; plan: Plan } | undefined> {
    try {
      const state = await this.opts.load();
      return { state, plan: planSelection(state.compiled, this.opts.selection) };
    } catch (err) {
      this.report(errorsOf(err));
      return undefined;
    }
  }

  /** Reloads after a change during a run; cancels the running stages it made stale. */
  private async checkStale(cur: ActiveRun, paths: string[]): Promise<void> {
    let next: EngineState;
    try { next = await this.opts.load(); } catch (err) { this.report(errorsOf(err)); return; }
    if (cur !== this.current || cur.cancelled) return;
    const hit = cur.supersede(next.compiled, paths, this.finish);
    if (hit.length === 0) return;
    this.handlers.onCancel?.(hit, cur.run);
    cur.cancelStages(hit);
  }

  private report(errs: TrainyardError[]): void {
    const text = errs.map(formatError).join('\n');
    if (text === this.lastErrors) return; // the same broken file, seen again after a run
    this.lastErrors = text;
    this.handlers.onError?.(errs);
  }
}
