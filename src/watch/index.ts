/**
 * @fileoverview `run --watch`: run, then watch the pipeline file, its plugins and the source
 * stages' local files; after a burst of saves (debounced), recompile and run again: the cache
 * re-runs only what the change made stale. A YAML or config error is reported with its
 * position and watching goes on. When a change makes a *running* stage stale, that stage alone
 * is cancelled (abort signal: training checkpoints first) unless it is in `finish`; running
 * stages the change did not touch finish (their results are cached), nothing new starts, and
 * a new run follows. The store is atomic, so a cancelled run leaves nothing half written.
 *
 *   load ─▶ plan ─▶ runPlan ──────────────▶ idle (watching) ─┐
 *     ▲     change while running: reload, cancel stale stages  │
 *     └──────────────────── debounced change ◀────────────────┘
 */
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { TrainyardErrorList, asTrainyardError, formatError, type TrainyardError } from '../errors/index.js';
import { planSelection, type Plan, type Selection } from '../graph/plan.js';
import type { EngineState } from '../runner/staleness.js';
import { CompositeLifecycle, type RunLifecycle, type RunSummary } from '../runner/lifecycle.js';
import { newRunId, runPlan } from '../runner/run.js';
import { ChangeBatcher } from './debounce.js';
import { watchedFiles } from './files.js';
import { staleStages } from './stale.js';

export { staleStages, stageSignature } from './stale.js';
export { watchedFiles } from './files.js';

export interface WatchOptions {
  /** The pipeline file; watched even while it does not parse. */
  file: string;
  /** Loads and compiles the pipeline (the CLI passes `loadEngine`). Called on every change. */
  load: () => Promise<EngineState>;
  /** Which stages to run (targets, --from, --until, --only). */
  selection?: Selection;
  jobs?: number;
  keepGoing?: boolean;
  /** Stages allowed to finish even when an edit makes them stale. @default [] */
  finish?: string[];
  /** Quiet time that ends a burst of changes. @default 200 */
  debounceMs?: number;
  /** Time a cancelled stage gets to checkpoint. @default the runner's (20 s) */
  graceMs?: number;
  /** Poll instead of native events (network drives, some containers). @default false */
  usePolling?: boolean;
  /** Stops watching when aborted (like `close()`). */
  signal?: AbortSignal;
}

export interface WatchRun {
  /** 1 for the first run. */
  iteration: number;
  /** The changed files that started this run (empty for the first). */
  trigger: string[];
  runId: string;
  /** Stages the run brings up to date. */
  stages: string[];
  state: EngineState;
}

export interface WatchHandlers {
  /** Before each run; the returned lifecycle receives its events (renderer, run record). */
  onRun?(run: WatchRun): RunLifecycle | void | Promise<RunLifecycle | void>;
  onRunEnd?(summary: RunSummary, run: WatchRun): void | Promise<void>;
  /** Errors from loading/compiling (YAML, schema, plugins) or an unexpected runner error. */
  onError?(errors: TrainyardError[]): void;
  /** A debounced batch of changed files. */
  onChange?(files: string[]): void;
  /** Running stages made stale by a change; the run is being cancelled. */
  onCancel?(stages: string[], run: WatchRun): void;
  /** Idle: waiting for the next change. */
  onWatching?(files: string[]): void;
}

export interface WatchHandle {
  /** Stops: cancels a running run gracefully, closes the watcher. */
  close(): Promise<void>;
  /** Settles when watching stopped. */
  done: Promise<void>;
}

interface Current {
  run: WatchRun; running: Set<string>; deps: Map<string, string[]>;
  /** Cancels the whole run (close, Ctrl-C). */
  controller: AbortController;
  /** Stops new stages from starting once a change arrives. */
  drain: AbortController;
  /** Per running stage: cancels just that stage when it goes stale. */
  stages: Map<string, AbortController>;
}

const errorsOf = (err: unknown): TrainyardError[] => (err instanceof TrainyardErrorList ? err.errors : [asTrainyardError(err)]);

/** Starts watching; the first run begins at once. */
export async function watchPipeline(opts: WatchOptions, handlers: WatchHandlers = {}): Promise<WatchHandle> {
  const file = resolve(opts.file);
  const finish = new Set(opts.finish ?? []);
  // Our own writes (the store, lock files) must never look like input changes.
  const ignored = (p: string) => /(^|[\\/])(\.trainyard|node_modules|\.git)([\\/]|$)/.test(p) || p.endsWith('.lock');
  const watcher: FSWatcher = watch([file], { ignoreInitial: true, usePolling: opts.usePolling, interval: 100, ignored });
  await new Promise<void>((r) => watcher.once('ready', () => r()));
  let watched = new Set([file]);
  let pending: string[] = [];
  let current: Current | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  let lastErrors = '';

  const report = (errs: TrainyardError[]) => {
    const text = errs.map(formatError).join('\n');
    if (text === lastErrors) return; // the same broken file, seen again after a run
    lastErrors = text;
    handlers.onError?.(errs);
  };

  const batcher = new ChangeBatcher(opts.debounceMs ?? 200, (paths) => {
    if (closed) return;
    handlers.onChange?.(paths);
    pending.push(...paths);
    if (current) void checkStale(current, paths);
    wake?.();
  });
  watcher.on('all', (_event, path) => batcher.add(resolve(path)));

  async function checkStale(cur: Current, paths: string[]): Promise<void> {
    let next: EngineState;
    try { next = await opts.load(); } catch (err) { report(errorsOf(err)); return; }
    if (cur !== current || cur.controller.signal.aborted) return;
    // Nothing new starts in this run: the next cycle plans with the new pipeline. Running stages
    // that are still valid finish (their results are cached for it); stale ones are cancelled.
    cur.drain.abort();
    const stale = staleStages(cur.run.state.compiled, next.compiled, paths, cur.deps);
    const hit = [...cur.running].filter((s) => stale.has(s) && !finish.has(s));
    if (hit.length === 0) return;
    handlers.onCancel?.(hit, cur.run);
    for (const s of hit) cur.stages.get(s)?.abort();
  }

  async function follow(all: string[], dirs: string[] = []): Promise<void> {
    const next = new Set([file, ...all, ...dirs]);
    const add = [...next].filter((f) => !watched.has(f));
    const drop = [...watched].filter((f) => !next.has(f));
    if (add.length) watcher.add(add);
    if (drop.length) watcher.unwatch(drop);
    watched = next;
  }

  async function cycle(iteration: number, trigger: string[]): Promise<void> {
    let state: EngineState;
    let plan: Plan;
    try {
      state = await opts.load();
      plan = planSelection(state.compiled, opts.selection);
    } catch (err) { report(errorsOf(err)); return; }
    const stages = plan.stages;
    lastErrors = '';
    const files = await watchedFiles(state, stages);
    await follow(files.all, files.dirs);
    const run: WatchRun = { iteration, trigger, runId: newRunId(), stages, state };
    const cur: Current = { run, running: new Set(), deps: files.deps, controller: new AbortController(), drain: new AbortController(), stages: new Map() };
    if (closed) return;
    current = cur;
    const tracker: RunLifecycle = {
      stageStart: (n) => { cur.running.add(n); },
      stageEnd: (i) => { cur.running.delete(i.name); },
    };
    try {
      const extra = await handlers.onRun?.(run);
      const summary = await runPlan(state, {
        plan, lifecycle: new CompositeLifecycle(extra ? [tracker, extra] : [tracker]), jobs: opts.jobs, keepGoing: opts.keepGoing,
        signal: cur.controller.signal, graceMs: opts.graceMs, runId: run.runId, drain: cur.drain.signal,
        stageSignal: (name) => {
          const c = new AbortController();
          cur.stages.set(name, c);
          return c.signal;
        },
      });
      await handlers.onRunEnd?.(summary, run);
    } catch (err) {
      handlers.onError?.(errorsOf(err));
    } finally {
      current = undefined;
    }
  }

  async function loop(): Promise<void> {
    let trigger: string[] = [];
    for (let iteration = 1; !closed; iteration++) {
      await cycle(iteration, trigger);
      if (closed) break;
      if (pending.length === 0) {
        handlers.onWatching?.([...watched].sort());
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
      }
      trigger = [...new Set(pending)].sort();
      pending = [];
    }
  }

  const done = loop().finally(() => watcher.close());
  const close = async () => {
    if (!closed) {
      closed = true;
      batcher.cancel();
      current?.controller.abort();
      wake?.();
    }
    await done;
  };
  opts.signal?.addEventListener('abort', () => void close(), { once: true });
  return { close, done };
}
