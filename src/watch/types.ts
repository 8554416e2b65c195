/**
 * @fileoverview The shapes of `run --watch` as a library: what a watch is told (options),
 * what it tells (handlers), each run it starts, and the handle that stops it.
 */
import type { TrainyardError } from '../errors/index.js';
import type { Selection } from '../graph/plan.js';
import type { RunLifecycle, RunSummary } from '../runner/lifecycle.js';
import type { EngineState } from '../runner/staleness.js';

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
