/**
 * @fileoverview Messages for running stages (src/runner, src/cache): frozen and --only stages
 * without a cached result, stage workers that die, cancellation and cache-key locks.
 */
import { make, type Where } from './make.js';

/** `0.3 s` under a minute, `10 min` from one minute up. */
const duration = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 1000).toFixed(1)} s`);

export const runnerErrors = {
  frozenNeverRan: (a: { stage: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" is frozen but has never run.`, 'Unfreeze it once (frozen: false) so it can produce a result.', { stage: a.stage, ...at }),

  /** `corrupt` says what was wrong with the cached entry, if it was found but broken. */
  frozenNotCached: (a: { stage: string; corrupt?: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" is frozen but its last result is not in the cache${a.corrupt ? ` (${a.corrupt})` : ''}.`,
      'Unfreeze it so it can run again.', { stage: a.stage, ...at }),

  /** A file the stage's key depends on (a source glob match, a task file) vanished. */
  stageFileMissing: (a: { stage: string; path: string | undefined }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `Stage "${a.stage}": file not found: ${a.path}`, undefined, { stage: a.stage, ...at }),

  onlyNotCached: (a: { stage: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" has no cached result, and --only does not run upstream stages.`,
      'Run without --only, or run that stage first.', { stage: a.stage, ...at }),

  /** `stderr` is the tail of what the worker printed. */
  workerStartFailed: (a: { exitCode: number | null; stderr: string }, at?: Where) =>
    make('E_STAGE_CRASHED', `stage worker exited during start-up (code ${a.exitCode}): ${a.stderr}`, undefined, at),

  /** `reason` is the signal or `exit code N`; `tail` the last lines of the worker's stderr. */
  workerDied: (a: { reason: string; oom: boolean; tail: string }, at?: Where) =>
    make('E_STAGE_CRASHED', `stage worker died (${a.reason})${a.oom ? ': out of memory' : ''}${a.tail ? `\n${a.tail}` : ''}`,
      a.oom ? 'Lower the batch size or model size, or raise the heap with NODE_OPTIONS=--max-old-space-size=…' : undefined, at),

  /** The worker exited after the stage was cancelled. */
  stageCancelled: (at?: Where) => make('E_ABORTED', 'stage was cancelled', undefined, at),

  /** A stage failed while its run was being cancelled. */
  runCancelled: (at?: Where) => make('E_ABORTED', 'cancelled; checkpoints, if any, were kept', undefined, at),

  lockWaitCancelled: (at?: Where) => make('E_ABORTED', 'aborted while waiting for a lock', undefined, at),

  /** `holder` describes who holds the lock (describeHolder in src/cache/key-lock.ts). */
  locked: (a: { holder: string; key: string; waitedMs: number }, at?: Where) =>
    make('E_LOCKED', `Gave up after ${duration(a.waitedMs)}: ${a.holder} is computing the same result (cache key ${a.key.slice(0, 12)}) and still holds its lock.`,
      'Wait for that run to finish and run again (its result will be cached), or stop it; a lock whose holder died frees itself within 15 s.', at),
};
