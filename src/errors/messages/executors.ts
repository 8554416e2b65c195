/**
 * @fileoverview Messages for distributed executors (src/runner/queue, src/runner/slurm):
 * a queue URL that does not parse, a Redis that does not answer, a run on a queue without
 * a remote cache to carry results, a job a worker cannot take, a retry setting out of range,
 * a Slurm target that does not parse, sbatch missing or refusing, a job that ended badly.
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

  badExecutorSetting: (a: { name: string; value: string; min: number }, at?: Where) =>
    make('E_USAGE', `${a.name} must be a whole number of at least ${a.min}, got "${a.value}".`,
      `Unset it for the default, or set e.g. ${a.name}=${a.min === 1 ? 3 : 2000}.`, at),

  badSlurmTarget: (a: { spec: string }, at?: Where) =>
    make('E_USAGE', `--executor ${a.spec} is not a Slurm target: write slurm or slurm:<partition> (letters, digits, . _ - and commas).`,
      'For example: --executor slurm:gpu', at),

  slurmMissing: (a: { command: string; reason: string }, at?: Where) =>
    make('E_USAGE', `--executor slurm needs Slurm's ${a.command} on this machine: ${a.reason}.`,
      'Run trainyard on a login node of the cluster (where sbatch, squeue and scancel work), or use --executor redis://… with workers.', at),

  sbatchFailed: (a: { stage: string; stderr: string }, at?: Where) =>
    make('E_EXECUTOR', `sbatch refused stage "${a.stage}": ${a.stderr || 'no reason given'}.`,
      'Check the stage\'s resources: (a partition, --gres, --mem or --time the cluster does not offer) and `sinfo`.', { stage: a.stage, ...at }),

  /** A Slurm job ended in another state than COMPLETED (the stage's own error, when the log has it, is reported instead). */
  slurmJobFailed: (a: { stage: string; id: string; state: string; reason?: string; exitCode?: string; log: string }, at?: Where) =>
    make(a.state === 'OUT_OF_MEMORY' ? 'E_STAGE_CRASHED' : 'E_EXECUTOR',
      `Slurm job ${a.id} of stage "${a.stage}" ended ${a.state}${a.reason && a.reason !== 'None' ? ` (${a.reason})` : ''}${a.exitCode && a.exitCode !== '0:0' ? `, exit code ${a.exitCode}` : ''}.`,
      a.state === 'TIMEOUT' ? 'It ran past its time limit: raise the stage\'s resources.time (sbatch --time).'
        : a.state === 'OUT_OF_MEMORY' ? 'It ran out of memory: raise the stage\'s resources.memory (sbatch --mem).'
          : a.reason === 'DependencyNeverSatisfied' ? 'A job it depends on failed; see that stage\'s error.'
            : a.state === 'CANCELLED' ? 'It was cancelled (scancel, or an administrator); run again to resubmit it.'
              : a.state === 'NODE_FAIL' || a.state === 'BOOT_FAIL' || a.state === 'PREEMPTED' ? 'The cluster lost its node; run again to resubmit it.'
                : `See the job's log: ${a.log}`, { stage: a.stage, ...at }),

  slurmJobVanished: (a: { stage: string; id: string }, at?: Where) =>
    make('E_EXECUTOR', `Slurm forgot job ${a.id} of stage "${a.stage}" before trainyard saw it end (squeue and scontrol no longer know it).`,
      'Run again: a result it pushed to the remote cache is pulled, anything else is resubmitted.', { stage: a.stage, ...at }),
};
