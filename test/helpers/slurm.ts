/**
 * Test helper: a single-node Slurm cluster (Debian's munge, slurmctld and slurmd 22.05) in a
 * temp folder, on free loopback ports, as root: its own munge key and socket, a 25-line
 * slurm.conf, no accounting, no cgroups (proctrack/linuxproc, task/none). Clients find it
 * through SLURM_CONF. `slurmMissing()` says why tests skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis.js';

const DAEMONS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'sinfo'];

/** Undefined when a cluster can be started here, else the reason to skip. */
export function slurmMissing(): string | undefined {
  const absent = DAEMONS.filter((d) => spawnSync('sh', ['-c', `command -v ${d}`]).status !== 0);
  if (absent.length) return `Slurm is not installed (${absent.join(', ')} missing; apt-get install slurmctld slurmd slurm-client munge; .ci/run does): skipping the Slurm executor test`;
  if (process.getuid?.() !== 0) return 'the single-node Slurm of this test runs as root (SlurmUser=root): skipping the Slurm executor test';
  return undefined;
}

export interface SlurmCluster { env: Record<string, string>; dir: string; setupMs: number; stop: () => Promise<void> }

export async function startSlurm(): Promise<SlurmCluster> {
  const t0 = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-slurm-'));
  for (const d of ['state', 'spool', 'tmp']) mkdirSync(join(dir, d));
  const node = hostname().split('.')[0]!;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'munge.key'), randomBytes(1024), { mode: 0o600 });
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=trainyard-test', `SlurmctldHost=${node}(127.0.0.1)`, `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
    'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${join(dir, 'munge.sock')}`, 'SlurmUser=root', 'SlurmdUser=root',
    `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none', 'MpiDefault=none',
    'SchedulerType=sched/backfill', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU', 'ReturnToService=2',
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=${Math.floor(totalmem() / 2 ** 20) - 256} State=UNKNOWN`,
    'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
  ].join('\n'));
  const procs: ChildProcess[] = [];
  const daemon = (cmd: string, args: string[]) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => { err += String(d); });
    p.once('exit', (code) => { if (code) process.stderr.write(`${cmd} exited ${code}: ${err}\n`); });
    procs.push(p);
  };
  const env = { SLURM_CONF: conf };
  const stop = async () => {
    for (const p of procs.reverse()) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    daemon('munged', ['--foreground', '--force', `--socket=${join(dir, 'munge.sock')}`, `--key-file=${join(dir, 'munge.key')}`,
      `--pid-file=${join(dir, 'munged.pid')}`, `--log-file=${join(dir, 'munged.log')}`, `--seed-file=${join(dir, 'munge.seed')}`]);
    await waitFor('munged', () => spawnSync('sh', ['-c', `test -S ${join(dir, 'munge.sock')}`]).status === 0);
    daemon('slurmctld', ['-D', '-f', conf]);
    daemon('slurmd', ['-D', '-f', conf, '-N', node]);
    await waitFor('the node to be idle', () => spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', env: { ...process.env, ...env } }).stdout?.trim() === 'idle');
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, dir, setupMs: Date.now() - t0, stop };
}

async function waitFor(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`Slurm set-up: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
