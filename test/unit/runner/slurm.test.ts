/**
 * The Slurm executor's pure parts: the `slurm[:partition]` target, the sbatch command line a
 * stage's resources become, the batch script, and the parsing of sbatch, squeue and scontrol
 * output, with each way a job can end mapped to its error (E_EXECUTOR, or E_STAGE_CRASHED
 * for an out-of-memory kill; the stage's own error when the job's log has it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TrainyardError, errors } from '../../../src/errors/index.js';
import { jobFailure, jobPhase, jobScript, parseSbatchId, parseScontrolJob, parseSqueue, sbatchArgs, shellQuote, slurmTarget } from '../../../src/runner/slurm/sbatch.js';
import { slurmOptionsFromEnv } from '../../../src/runner/slurm/slurm-executor.js';

test('targets: slurm, slurm:<partition>[,<partition>]; others are not Slurm; a bad partition is E_USAGE', () => {
  assert.deepEqual(slurmTarget('slurm'), { display: 'slurm' });
  assert.deepEqual(slurmTarget('slurm:gpu'), { display: 'slurm:gpu', partition: 'gpu' });
  assert.deepEqual(slurmTarget('slurm:gpu,gpu-long'), { display: 'slurm:gpu,gpu-long', partition: 'gpu,gpu-long' });
  assert.equal(slurmTarget('redis://h:1'), undefined);
  assert.equal(slurmTarget('slurmish'), undefined);
  for (const bad of ['slurm:', 'slurm:a b', 'slurm:x;rm -rf']) {
    assert.throws(() => slurmTarget(bad), (e: unknown) => e instanceof TrainyardError && e.code === 'E_USAGE' && e.message.includes(`--executor ${bad} is not a Slurm target`), bad);
  }
});

test('sbatch arguments from a stage\'s resources', () => {
  const base = { stage: 'pretrain', chdir: '/home/me/proj', output: '/home/me/proj/.trainyard/slurm/pretrain-%j.log' };
  assert.deepEqual(sbatchArgs(base), ['--parsable', '--job-name=trainyard-pretrain', '--chdir=/home/me/proj', '--output=/home/me/proj/.trainyard/slurm/pretrain-%j.log']);
  assert.deepEqual(sbatchArgs({ ...base, partition: 'gpu', resources: { gpus: 2, cpus: 8, memory: '32G', time: '4:00:00', tags: ['gpu', 'a100', 'nvme'] } }).slice(4), [
    '--partition=gpu', '--gres=gpu:2', '--cpus-per-task=8', '--mem=32G', '--time=4:00:00', '--constraint=a100&nvme',
  ]);
  assert.deepEqual(sbatchArgs({ ...base, resources: { gpus: 0, tags: ['gpu'] } }).slice(4), [], 'no GPUs, and gpu alone is no node feature');
});

test('the batch script runs worker --once with the job on stdin, quoted for /bin/sh', () => {
  const job = { key: 'k', text: "it's a \"job\"\nwith $HOME and `cmd`" };
  const script = jobScript({ trainyard: ['/usr/bin/node', '--import', 'file:///a b/tsx.mjs', '/srv/trainyard/bin/trainyard.js'], dir: "/srv/o'neil/proj", job });
  assert.match(script, /^#!\/bin\/sh\n/);
  assert.ok(script.includes(`exec /usr/bin/node --import 'file:///a b/tsx.mjs' /srv/trainyard/bin/trainyard.js worker --once - --dir '/srv/o'\\''neil/proj' --store "\${TMPDIR:-/tmp}/trainyard-store-$(id -u)" <<'TRAINYARD_JOB_END'`), script);
  // What the shell hands the command on stdin is the job, byte for byte.
  const sh = spawnSync('/bin/sh', ['-c', script.replace(/^exec .*<<'TRAINYARD_JOB_END'$/m, "cat <<'TRAINYARD_JOB_END'")], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(sh.stdout), job);
  assert.equal(shellQuote('plain-word_1.2/x:y=z'), 'plain-word_1.2/x:y=z');
  assert.equal(shellQuote(''), "''");
});

test('sbatch --parsable output: the job id, with or without a cluster name', () => {
  assert.equal(parseSbatchId('42\n'), '42');
  assert.equal(parseSbatchId('42;cluster-a'), '42');
  assert.equal(parseSbatchId('sbatch: warning: something\n43\n'), '43');
  assert.equal(parseSbatchId('sbatch: error: Batch job submission failed'), undefined);
  assert.equal(parseSbatchId(''), undefined);
});

test('squeue and scontrol output (as Slurm 22.05 prints them)', () => {
  const q = parseSqueue('1|COMPLETED|None\n2|PENDING|Dependency\n4|CANCELLED|DependencyNeverSatisfied\n\n');
  assert.deepEqual([...q.keys()], ['1', '2', '4']);
  assert.deepEqual(q.get('2'), { id: '2', state: 'PENDING', reason: 'Dependency' });
  const line = 'JobId=3 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=1 Nice=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:00 TimeLimit=UNLIMITED';
  assert.deepEqual(parseScontrolJob(line), { id: '3', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '3:0' });
  assert.equal(parseScontrolJob('slurm_load_jobs error: Invalid job id specified'), undefined);
});

test('job states: waiting, running, completed, or failed', () => {
  for (const s of ['PENDING', 'REQUEUED', 'SUSPENDED']) assert.equal(jobPhase(s), 'waiting', s);
  for (const s of ['CONFIGURING', 'RUNNING', 'COMPLETING']) assert.equal(jobPhase(s), 'running', s);
  assert.equal(jobPhase('COMPLETED'), 'completed');
  for (const s of ['FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT']) assert.equal(jobPhase(s), 'failed', s);
});

test('a job that ended badly becomes an error that says what to do', () => {
  const fail = (state: string, reason?: string, exitCode?: string) => jobFailure('train', { id: '9', state, reason, exitCode }, '/p/.trainyard/slurm/train-9.log');
  const t = fail('TIMEOUT', 'TimeLimit', '0:15');
  assert.equal(t.code, 'E_EXECUTOR');
  assert.equal(t.message, 'Slurm job 9 of stage "train" ended TIMEOUT (TimeLimit), exit code 0:15.');
  assert.match(t.hint!, /raise the stage's resources\.time/);
  const oom = fail('OUT_OF_MEMORY', 'OutOfMemory', '0:125');
  assert.equal(oom.code, 'E_STAGE_CRASHED');
  assert.match(oom.hint!, /resources\.memory/);
  assert.match(fail('CANCELLED', 'DependencyNeverSatisfied').hint!, /A job it depends on failed/);
  assert.match(fail('CANCELLED', 'None').hint!, /cancelled \(scancel/);
  assert.match(fail('NODE_FAIL').hint!, /lost its node/);
  assert.equal(fail('FAILED', 'NonZeroExitCode', '1:0').hint, 'See the job\'s log: /p/.trainyard/slurm/train-9.log');
  const own = errors.resultMissing({ stage: 'train', key: 'k'.repeat(64), url: '/r', reason: 'it is absent' });
  assert.equal(jobFailure('train', { id: '9', state: 'FAILED' }, '/l', own), own, 'the stage\'s own error, from the log, wins');
  assert.equal(jobFailure('train', { id: '9', state: 'TIMEOUT' }, '/l', own).code, 'E_EXECUTOR', 'unless Slurm stopped it');
});

test('executor settings from the environment', () => {
  assert.deepEqual(slurmOptionsFromEnv({}), {});
  assert.deepEqual(slurmOptionsFromEnv({ TRAINYARD_SLURM_POLL_MS: '250', TRAINYARD_SLURM_COMMAND: ' npx trainyard ' }), { pollMs: 250, trainyard: ['npx', 'trainyard'] });
  assert.throws(() => slurmOptionsFromEnv({ TRAINYARD_SLURM_POLL_MS: '5' }), /TRAINYARD_SLURM_POLL_MS must be a whole number of at least 100/);
});
