/**
 * @fileoverview What the Slurm executor says to Slurm and reads back, as pure functions: the
 * `--executor slurm[:partition]` target, the sbatch arguments a stage's `resources:` become,
 * the batch script (it runs `trainyard worker --once -` with the stage's job on stdin), and
 * the parsing of `sbatch --parsable`, `squeue` and `scontrol show job -o` output.
 *
 *   resources: { gpus: 2, cpus: 8, memory: 32G, time: "4:00:00", tags: [a100] }
 *     → --gres=gpu:2 --cpus-per-task=8 --mem=32G --time=4:00:00 --constraint=a100
 */
import type { StageResources } from '../../config/types.js';
import { errors, type TrainyardError } from '../../errors/index.js';

export interface SlurmTarget {
  /** `slurm` or `slurm:gpu`, for messages. */
  display: string;
  partition?: string;
}

/** `slurm` or `slurm:<partition>`; undefined when `spec` is not a Slurm target at all. */
export function slurmTarget(spec: string): SlurmTarget | undefined {
  if (spec !== 'slurm' && !spec.startsWith('slurm:')) return undefined;
  const partition = spec === 'slurm' ? undefined : spec.slice('slurm:'.length);
  if (partition !== undefined && !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(partition)) throw errors.badSlurmTarget({ spec });
  return { display: spec, ...(partition ? { partition } : {}) };
}

export interface Submission {
  /** The stage's name (the job is named `trainyard-<stage>`). */
  stage: string;
  partition?: string;
  resources?: StageResources;
  /** The job's working folder (the project's checkout, on the shared file system). */
  chdir: string;
  /** Its log file; `%j` is the job id. */
  output: string;
}

/** sbatch's arguments for one stage (the script comes on stdin). */
export function sbatchArgs(s: Submission): string[] {
  const r = s.resources ?? {};
  const args = ['--parsable', `--job-name=trainyard-${s.stage}`, `--chdir=${s.chdir}`, `--output=${s.output}`];
  if (s.partition) args.push(`--partition=${s.partition}`);
  if ((r.gpus ?? 0) > 0) args.push(`--gres=gpu:${r.gpus}`);
  if (r.cpus) args.push(`--cpus-per-task=${r.cpus}`);
  if (r.memory) args.push(`--mem=${r.memory}`);
  if (r.time) args.push(`--time=${r.time}`);
  // Tags are node features on a cluster; `gpu` is implied by --gres.
  const features = (r.tags ?? []).filter((t) => t !== 'gpu');
  if (features.length > 0) args.push(`--constraint=${features.join('&')}`);
  return args;
}

/** A word for /bin/sh, quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const EOF_MARK = 'TRAINYARD_JOB_END';

/**
 * The batch script: runs `<trainyard> worker --once -` in the checkout with its own store
 * on the node (`$TMPDIR`), the job's JSON (one line) on stdin.
 */
export function jobScript(o: { trainyard: string[]; dir: string; job: unknown }): string {
  const json = JSON.stringify(o.job);
  const cmd = [...o.trainyard, 'worker', '--once', '-', '--dir', o.dir].map(shellQuote).join(' ');
  return [
    '#!/bin/sh',
    '# Written by trainyard run --executor slurm: one stage, pulled from and pushed to the remote cache.',
    `exec ${cmd} --store "\${TMPDIR:-/tmp}/trainyard-store-$(id -u)" <<'${EOF_MARK}'`,
    json,
    EOF_MARK,
    '',
  ].join('\n');
}

/** The job id in `sbatch --parsable` output (`123` or `123;cluster`). */
export function parseSbatchId(stdout: string): string | undefined {
  const m = /^(\d+)(;\S+)?$/.exec(stdout.trim().split('\n').pop()?.trim() ?? '');
  return m?.[1];
}

export interface JobState {
  id: string;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, … (squeue %T, scontrol JobState). */
  state: string;
  reason?: string;
  /** `code:signal`, scontrol only. */
  exitCode?: string;
}

/** `squeue -h -t all -j <ids> -o '%i|%T|%r'` → job id → state. */
export function parseSqueue(stdout: string): Map<string, JobState> {
  const out = new Map<string, JobState>();
  for (const line of stdout.split('\n')) {
    const [id, state, reason] = line.trim().split('|');
    if (id && state && /^\d+$/.test(id)) out.set(id, { id, state: state.split(/\s/)[0]!, ...(reason ? { reason } : {}) });
  }
  return out;
}

/** `scontrol show job -o <id>` (one line of Key=Value) → its state; undefined when Slurm does not know the job. */
export function parseScontrolJob(stdout: string): JobState | undefined {
  const fields = new Map<string, string>();
  for (const m of stdout.matchAll(/(?:^|\s)([A-Za-z:]+)=(\S*)/g)) if (!fields.has(m[1]!)) fields.set(m[1]!, m[2]!);
  const id = fields.get('JobId');
  const state = fields.get('JobState');
  if (!id || !state) return undefined;
  return { id, state, ...(fields.get('Reason') ? { reason: fields.get('Reason') } : {}), ...(fields.get('ExitCode') ? { exitCode: fields.get('ExitCode') } : {}) };
}

/** Where a job is: still queued or running, done, or ended without a result. */
export function jobPhase(state: string): 'waiting' | 'running' | 'completed' | 'failed' {
  switch (state) {
    case 'PENDING': case 'REQUEUED': case 'REQUEUE_HOLD': case 'REQUEUE_FED': case 'SUSPENDED': case 'STOPPED': case 'RESV_DEL_HOLD': case 'SPECIAL_EXIT':
      return state === 'SPECIAL_EXIT' ? 'failed' : 'waiting';
    case 'CONFIGURING': case 'RUNNING': case 'COMPLETING': case 'RESIZING': case 'SIGNALING': case 'STAGE_OUT':
      return 'running';
    case 'COMPLETED':
      return 'completed';
    default: // FAILED CANCELLED TIMEOUT OUT_OF_MEMORY NODE_FAIL PREEMPTED BOOT_FAIL DEADLINE REVOKED
      return 'failed';
  }
}

/** The error for a job that ended without a result (the stage's own error from its log wins when there is one). */
export function jobFailure(stage: string, job: JobState, log: string, stageError?: TrainyardError): TrainyardError {
  if (stageError && job.state === 'FAILED') return stageError;
  return errors.slurmJobFailed({ stage, id: job.id, state: job.state, reason: job.reason, exitCode: job.exitCode, log });
}
