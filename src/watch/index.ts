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
 *
 * Pieces: ./watcher.ts (files) → ./debounce.ts (bursts) → ./session.ts (the loop) →
 * ./active-run.ts (cancellation of the run in flight).
 */
import { resolve } from 'node:path';
import { ChangeBatcher } from './debounce.js';
import { WatchSession } from './session.js';
import type { WatchHandle, WatchHandlers, WatchOptions } from './types.js';
import { FileWatcher } from './watcher.js';

export { staleStages, stageSignature } from './stale.js';
export { watchedFiles } from './files.js';
export type { WatchHandle, WatchHandlers, WatchOptions, WatchRun } from './types.js';

/** Starts watching; the first run begins at once. */
export async function watchPipeline(opts: WatchOptions, handlers: WatchHandlers = {}): Promise<WatchHandle> {
  let session: WatchSession | undefined;
  const batcher = new ChangeBatcher(opts.debounceMs ?? 200, (paths) => session?.changed(paths));
  const watcher = await FileWatcher.open(resolve(opts.file), (path) => batcher.add(path), opts.usePolling);
  session = new WatchSession(opts, handlers, watcher);
  const done = session.loop().finally(() => watcher.close());
  const close = async () => {
    batcher.cancel();
    session.close();
    await done;
  };
  opts.signal?.addEventListener('abort', () => void close(), { once: true });
  return { close, done };
}
