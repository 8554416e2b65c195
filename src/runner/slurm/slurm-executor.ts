/**
 * @fileoverview The Slurm executor (`trainyard run --executor slurm[:partition]`): each ready
 * stage becomes one batch job (`sbatch --parsable`, resources from the stage's `resources:`,
 * ./sbatch.ts) that runs `trainyard worker --once` in the project's checkout on the shared
 * file system. Results travel through the remote cache, as with the queue executor: the job
 * pulls its inputs, runs the stage, pushes the result; this side polls `squeue` (then
 * `scontrol show job` for how it ended), forwards the stage's events from the job's log as
 * they are written, and pulls the result into the local store.
 *
 *   executeStage ─▶ push inputs ─▶ sbatch ─▶ job: trainyard worker --once ─▶ push result
 *        ◀── poll squeue / scontrol; tail the job log (logs, progress, metrics)
 *        ◀── remote.pull(key) → local store
 *
 * A stage is submitted once its upstream stages are done (its cache key hashes their
 * outputs), so no job waits on another through --dependency. Ctrl-C scancels the jobs in
 * flight. A stage that reads files of this workspace (a `source` stage) runs here.
 */
import { execFile } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Manifest, Store } from '../../cache/store.js';
import type { RemoteCache } from '../../cache/remote/cache.js';
import type { ResolvedPipeline } from '../../config/types.js';
import { asTrainyardError, errors, type TrainyardError } from '../../errors/index.js';
import type { Executor, StageRequest } from '../executor.js';
import type { JobEvent } from '../job.js';
import type { LocalExecutor } from '../local-executor.js';
import { queuedStage } from '../queue/queued-stage.js';
import { jobFailure, jobPhase, jobScript, parseSbatchId, parseScontrolJob, parseSqueue, sbatchArgs, slurmTarget, type JobState, type SlurmTarget } from './sbatch.js';

export interface SlurmExecutorOptions {
  /** How often a job's state and log are read. @default 3000 (TRAINYARD_SLURM_POLL_MS) */
  pollMs?: number;
  /** The command that starts trainyard on a node. @default this very node and CLI (TRAINYARD_SLURM_COMMAND, shell words) */
  trainyard?: string[];
}

interface Exec { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], stdin?: string): Promise<Exec> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (err && code === 127 ? err.message : '') });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

export class SlurmExecutor implements Executor {
  readonly name: string;
  private readonly trainyard: string[];
  private readonly pollMs: number;

  private constructor(
    private readonly target: SlurmTarget,
    private readonly store: Store,
    private readonly pipeline: ResolvedPipeline,
    private readonly remote: RemoteCache,
    private readonly local: LocalExecutor,
    o: SlurmExecutorOptions,
  ) {
    this.name = target.display;
    this.pollMs = o.pollMs ?? 3000;
    this.trainyard = o.trainyard ?? [process.execPath, ...process.execArgv, process.argv[1]!];
  }

  /** Checks the target, the remote cache and that sbatch answers. */
  static async open(spec: string, o: { store: Store; pipeline: ResolvedPipeline; remote: RemoteCache | undefined; local: LocalExecutor } & SlurmExecutorOptions): Promise<SlurmExecutor> {
    const target = slurmTarget(spec);
    if (!target) throw errors.badSlurmTarget({ spec });
    if (!o.remote) throw errors.executorNeedsRemote({ url: target.display });
    const v = await run('sbatch', ['--version']);
    if (v.code !== 0) throw errors.slurmMissing({ command: 'sbatch', reason: (v.stderr || v.stdout).trim() || `exit code ${v.code}` });
    return new SlurmExecutor(target, o.store, o.pipeline, o.remote, o.local, o);
  }

  async run(req: StageRequest, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest> {
    if (Object.keys(req.details.deps).length > 0) {
      onEvent({ type: 'log', level: 'debug', message: 'runs on this machine: it reads files of this workspace' });
      return this.local.run(req, onEvent, signal);
    }
    for (const e of new Map(Object.values(req.entries).flat().map((e) => [e.key, e])).values()) await this.remote.push(this.store, e.key);
    const data = queuedStage(req, { dir: this.pipeline.dir, backend: this.pipeline.backend, seed: this.pipeline.seed, plugins: this.pipeline.pluginPaths, remote: this.remote.spec, submitter: `${hostname()} (pid ${process.pid})` });
    const logDir = join(this.store.root, 'slurm');
    await mkdir(logDir, { recursive: true });
    const args = sbatchArgs({ stage: req.name, partition: this.target.partition, resources: req.stage.resources, chdir: this.pipeline.dir, output: join(logDir, `${req.name}-%j.log`) });
    if (signal.aborted) throw errors.stageCancelled();
    const sub = await run('sbatch', args, jobScript({ trainyard: this.trainyard, dir: this.pipeline.dir, job: data }));
    const id = sub.code === 0 ? parseSbatchId(sub.stdout) : undefined;
    if (!id) throw errors.sbatchFailed({ stage: req.name, stderr: (sub.stderr || sub.stdout).trim() });
    const log = join(logDir, `${req.name}-${id}.log`);
    onEvent({ type: 'log', level: 'info', message: `submitted as Slurm job ${id}${this.target.partition ? ` on partition ${this.target.partition}` : ''} (log: ${log})` });
    const end = await this.follow(req.name, id, log, onEvent, signal);
    if (end.error) throw end.error;
    const r = await this.remote.pull(this.store, req.key);
    if (r.status === 'pulled') return r.manifest;
    const had = await this.store.lookup(req.key);
    if (had.manifest) return had.manifest;
    throw errors.resultMissing({ stage: req.name, key: req.key, url: this.remote.url, reason: r.status === 'corrupt' ? r.reason : 'it is absent' });
  }

  /** Polls the job until it ends, forwarding its log's events; scancels it on abort. */
  private async follow(stage: string, id: string, log: string, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<{ error?: TrainyardError }> {
    const tail = new LogTail(log);
    let running = false;
    for (;;) {
      if (signal.aborted) {
        await run('scancel', [id]);
        return { error: errors.stageCancelled() };
      }
      const job = await this.state(id);
      for (const line of await tail.read()) if (line.event === 'job') onEvent(line.e);
      if (!job) return { error: errors.slurmJobVanished({ stage, id }) };
      const phase = jobPhase(job.state);
      if (phase === 'running' && !running) { running = true; onEvent({ type: 'log', level: 'info', message: `Slurm job ${id} is running` }); }
      if (phase === 'completed' || phase === 'failed') {
        for (const line of await tail.read(true)) if (line.event === 'job') onEvent(line.e);
        if (phase === 'completed') return {};
        const detail = job.exitCode ? job : (await this.scontrol(id)) ?? job;
        return { error: jobFailure(stage, detail, log, tail.failure ? asTrainyardError(tail.failure) : undefined) };
      }
      await sleep(this.pollMs, signal);
    }
  }

  /** The job's state: squeue while it is queued or running, scontrol (with the exit code) once it ended. */
  private async state(id: string): Promise<JobState | undefined> {
    const q = await run('squeue', ['-h', '-t', 'all', '-j', id, '-o', '%i|%T|%r']);
    const s = q.code === 0 ? parseSqueue(q.stdout).get(id) : undefined;
    if (s && jobPhase(s.state) !== 'completed' && jobPhase(s.state) !== 'failed') return s;
    return (await this.scontrol(id)) ?? s;
  }

  private async scontrol(id: string): Promise<JobState | undefined> {
    const r = await run('scontrol', ['show', 'job', '-o', id]);
    return r.code === 0 ? parseScontrolJob(r.stdout) : undefined;
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}

/** The JSON lines a `worker --once` job has written to its log so far. */
class LogTail {
  private offset = 0;
  private rest = '';
  failure?: Record<string, unknown>;

  constructor(private readonly path: string) {}

  async read(final = false): Promise<Array<{ event: string; e: JobEvent }>> {
    let text = '';
    try {
      const fh = await open(this.path, 'r');
      try {
        const { size } = await fh.stat();
        if (size > this.offset) {
          const buf = Buffer.alloc(size - this.offset);
          await fh.read(buf, 0, buf.length, this.offset);
          this.offset = size;
          text = buf.toString('utf8');
        }
      } finally {
        await fh.close();
      }
    } catch {
      return []; // not created yet (the job is pending), or on a node-local disk
    }
    const lines = (this.rest + text).split('\n');
    this.rest = final ? '' : lines.pop()!;
    const out: Array<{ event: string; e: JobEvent }> = [];
    for (const l of lines) {
      if (!l.startsWith('{')) continue;
      try {
        const m = JSON.parse(l) as { event: string; e?: JobEvent; error?: Record<string, unknown> };
        if (m.event === 'job' && m.e) out.push({ event: 'job', e: m.e });
        else if (m.event === 'failed' && m.error) this.failure = m.error;
      } catch { /* a line the stage printed itself */ }
    }
    return out;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Options from the environment: TRAINYARD_SLURM_POLL_MS, TRAINYARD_SLURM_COMMAND. */
export function slurmOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SlurmExecutorOptions {
  const poll = env.TRAINYARD_SLURM_POLL_MS;
  if (poll !== undefined && poll !== '' && !(Number.isInteger(Number(poll)) && Number(poll) >= 100)) throw errors.badExecutorSetting({ name: 'TRAINYARD_SLURM_POLL_MS', value: poll, min: 100 });
  const cmd = env.TRAINYARD_SLURM_COMMAND?.trim();
  return { ...(poll ? { pollMs: Number(poll) } : {}), ...(cmd ? { trainyard: cmd.split(/\s+/) } : {}) };
}

