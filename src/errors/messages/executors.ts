/**
 * @fileoverview Messages for distributed executors (src/runner/queue, src/runner/slurm):
 * a queue URL that does not parse, a Redis that does not answer, a run on a queue without
 * a remote cache to carry results, a job a worker cannot take.
 */
import { make, type Where } from './make.js';

export const executorErrors = {
  badQueueUrl: (a: { url: string; flag: string }, at?: Where) =>
    make('E_USAGE', `${a.flag} must be a Redis URL like redis://localhost:6379 (optionally /db), got "${a.url}".`,
      'Start Redis (redis-server --port 6379) and pass its URL, e.g. --executor redis://gpu-box:6379.', at),

  queueUnreachable: (a: { url: string; flag: string; reason: string }, at?: Where) =>
    make('E_USAGE', `Cannot reach Redis at ${a.url} (${a.flag}): ${a.reason}.`,
      'Start it (redis-server --port 6379 --maxmemory-policy noeviction) or check the host and port.', at),

  executorNeedsRemote: (a: { url: string }, at?: Where) =>
    make('E_USAGE', `--executor ${a.url} needs a remote cache shared with the workers: results travel through it.`,
      'Add `remote: /shared/folder` (or s3://…) to the pipeline, set TRAINYARD_REMOTE, or pass --remote <url>.', at),

  workerTags: (a: { tags: string[]; max: number }, at?: Where) =>
    make('E_USAGE', `--tags takes at most ${a.max} tags of lower-case letters, digits, - and _; got "${a.tags.join(',')}".`, 'For example: --tags gpu', at),

  /** The job's data is from another Trainyard version or not a stage job. */
  badJob: (a: { id: string; problem: string }, at?: Where) =>
    make('E_USAGE', `Queue job ${a.id.slice(0, 12)} is not a stage job this worker understands: ${a.problem}.`,
      'Run the worker and `trainyard run` from the same Trainyard version.', at),

  /** The result the worker reported is not in the remote cache. */
  resultMissing: (a: { stage: string; key: string; url: string; reason: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" finished on a worker, but its result (key ${a.key.slice(0, 12)}) could not be pulled from ${a.url}: ${a.reason}.`,
      'Check that the workers and this machine use the same remote cache (the worker\'s --remote).', { stage: a.stage, ...at }),

  badRetrySetting: (a: { name: string; value: string; min: number }, at?: Where) =>
    make('E_USAGE', `${a.name} must be a whole number of at least ${a.min}, got "${a.value}".`,
      `Unset it for the default, or set e.g. ${a.name}=${a.min === 1 ? 3 : 2000}.`, at),
};
