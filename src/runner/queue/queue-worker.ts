/**
 * @fileoverview `trainyard worker --queue redis://…`: takes stage jobs from the queues of
 * its tags (./connection.ts) and runs each against the remote cache named in the job (or
 * `--remote`): pull the input entries into its own store, run the stage in a worker process
 * (../local-executor.ts, as a local run does), commit it under the job's key and push it.
 *
 *   job ─▶ remote has key? done ─▶ pull inputs ─▶ stage process ─▶ commit ─▶ push ─▶ completed
 *
 * BullMQ holds the job's lock while it runs and this process renews it (the stage runs in
 * a child process, so the event loop stays free); a worker that dies stops renewing, and a
 * live worker's stalled check puts the job back on the queue. A result already in the
 * remote cache is never computed again, so a re-queued job whose first worker finished the
 * push but not the job completes at once.
 */
import { availableParallelism, hostname } from 'node:os';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ArtifactRef } from '../../artifacts/kinds.js';
import { lockKey } from '../../cache/key-lock.js';
import { openRemote } from '../../cache/remote/open.js';
import type { RemoteCache, RemoteSpec } from '../../cache/remote/cache.js';
import type { Manifest, Store } from '../../cache/store.js';
import { asTrainyardError, errors } from '../../errors/index.js';
import { loadPlugin } from '../../plugins/load.js';
import { Registry } from '../../plugins/registry.js';
import type { StageRequest } from '../executor.js';
import type { JobEvent } from '../job.js';
import { runLocally } from '../local-executor.js';
import { StagePool } from '../process-pool.js';
import { checkReachable, workerQueues, type QueueTarget } from './connection.js';
import { CANCEL_CHANNEL, type ProgressMessage } from './protocol.js';
import { checkQueuedStage, workerPlugin, type QueuedStage } from './queued-stage.js';
import { BACKOFF_TYPE, isRetryable, retryDelayMs } from './retry.js';

/** What the worker tells its terminal. */
export type WorkerReport =
  | { event: 'ready'; worker: string; queues: string[]; url: string }
  | { event: 'start'; stage: string; key: string; runId: string; submitter: string; attempt: number }
  | { event: 'done'; stage: string; key: string; durationMs: number; files: number }
  | { event: 'present'; stage: string; key: string }
  | { event: 'failed'; stage: string; key: string; code: string; message: string; retry: boolean; retryInMs?: number };

export interface QueueWorkerOptions {
  target: QueueTarget;
  /** The worker's checkout: stages run here, relative plugin paths resolve here. */
  dir: string;
  store: Store;
  tags: string[];
  /** Stages run at once. @default 1 */
  concurrency?: number;
  /** Replaces the remote cache named in each job (the same cache mounted elsewhere). */
  remote?: RemoteSpec;
  /** BullMQ lock duration and stalled-check interval: a dead worker's job is re-queued within about twice this. @default 30000 */
  lockMs?: number;
  report: (r: WorkerReport) => void;
}


export class QueueWorker {
  readonly id = `${hostname()}:${process.pid}`;
  private readonly pool = new StagePool();
  private readonly workers: Worker[] = [];
  private readonly remotes = new Map<string, Promise<RemoteCache>>();
  private readonly registries = new Map<string, Promise<Registry>>();
  private readonly running = new Map<string, AbortController>();
  private subscriber?: Redis;

  private constructor(private readonly o: QueueWorkerOptions) {}

  /** Connects and starts taking jobs. */
  static async start(o: QueueWorkerOptions): Promise<QueueWorker> {
    await checkReachable(o.target, '--queue');
    const w = new QueueWorker(o);
    await w.listen();
    return w;
  }

  private async listen(): Promise<void> {
    const { target, lockMs = 30_000 } = this.o;
    await this.o.store.cleanStaging();
    this.subscriber = new Redis(target.connection);
    this.subscriber.on('message', (_channel: string, key: string) => this.running.get(key)?.abort());
    await this.subscriber.subscribe(CANCEL_CHANNEL);
    const queues = workerQueues(this.o.tags);
    const concurrency = Math.max(1, this.o.concurrency ?? 1);
    for (const name of queues) {
      const w = new Worker(name, (job, token) => this.process(job, token), {
        connection: target.connection, concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 2, autorun: false,
        settings: { backoffStrategy: (made, type, _err, job) => (type === BACKOFF_TYPE ? retryDelayMs(made, Number(job?.opts.backoff && typeof job.opts.backoff === 'object' ? job.opts.backoff.delay : 0)) : 0) },
      });
      w.on('error', () => undefined); // connection blips: ioredis reconnects
      this.workers.push(w);
    }
    for (const w of this.workers) void w.run();
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    this.o.report({ event: 'ready', worker: this.id, queues, url: target.display });
  }

  /** Several queues, one budget: at `concurrency` stages running, no queue takes another. */
  private gate(): void {
    if (this.workers.length < 2) return;
    const full = this.running.size >= Math.max(1, this.o.concurrency ?? 1);
    for (const w of this.workers) {
      if (full && !w.isPaused()) void w.pause(true);
      else if (!full && w.isPaused()) w.resume();
    }
  }

  private async process(job: Job, _token?: string): Promise<{ status: 'done' | 'present'; worker: string }> {
    const data = checkQueuedStage(String(job.id), job.data);
    const controller = new AbortController();
    this.running.set(data.key, controller);
    this.gate();
    let chain = Promise.resolve();
    const send = (m: ProgressMessage) => { chain = chain.then(() => job.updateProgress(m)).catch(() => undefined); };
    try {
      const remote = await this.remoteFor(data);
      if (!data.force && await remote.has(data.key)) {
        this.o.report({ event: 'present', stage: data.name, key: data.key });
        return { status: 'present', worker: this.id };
      }
      this.o.report({ event: 'start', stage: data.name, key: data.key, runId: data.runId, submitter: data.submitter, attempt: job.attemptsMade + 1 });
      send({ event: { type: 'log', level: 'info', message: `running on worker ${this.id}` } });
      const t = Date.now();
      const manifest = await this.compute(data, remote, (event) => send({ event }), controller.signal);
      const pushed = await remote.push(this.o.store, manifest.key);
      await chain;
      this.o.report({ event: 'done', stage: data.name, key: data.key, durationMs: Date.now() - t, files: pushed.files });
      return { status: 'done', worker: this.id };
    } catch (err) {
      const e = asTrainyardError(err);
      const made = job.attemptsMade + 1;
      const retry = isRetryable(e.code, e.message) && !controller.signal.aborted && made < (job.opts.attempts ?? 1);
      const backoff = job.opts.backoff;
      const retryInMs = retry ? retryDelayMs(made, typeof backoff === 'object' ? backoff.delay ?? 0 : 0) : undefined;
      if (retry) send({ event: { type: 'log', level: 'warn', message: `attempt ${made} of ${job.opts.attempts} failed on worker ${this.id} (${e.code}: ${e.message.split('\n')[0]}); retrying in ${(retryInMs! / 1000).toFixed(1)} s` } });
      else send({ error: e.toJSON() });
      await chain;
      this.o.report({ event: 'failed', stage: data.name, key: data.key, code: e.code, message: e.message, retry, ...(retryInMs !== undefined ? { retryInMs } : {}) });
      throw retry ? new Error(`${e.code}: ${e.message}`) : new UnrecoverableError(`${e.code}: ${e.message}`);
    } finally {
      this.running.delete(data.key);
      this.gate();
    }
  }

  /** The stage's result in the local store: already there, or computed now (under the key's lock). */
  private async compute(data: QueuedStage, remote: RemoteCache, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest> {
    const { store } = this.o;
    const inputs: Record<string, ArtifactRef[]> = {};
    const entries: StageRequest['entries'] = {};
    for (const [port, list] of Object.entries(data.inputs)) {
      inputs[port] = [];
      entries[port] = [];
      for (const i of list) {
        await this.ensureLocal(i.key, remote);
        inputs[port].push({ kind: i.kind, path: store.outputDir(i.key, i.port), hash: i.hash, from: i.from });
        entries[port].push({ key: i.key, port: i.port });
      }
    }
    const plugins = data.plugins.map((p) => workerPlugin(p, this.o.dir));
    const def = await (await this.registryFor(plugins)).get('stage', data.type).value();
    const release = await lockKey(store.locksDir(), data.key, { signal, runId: data.runId });
    try {
      const had = data.force ? undefined : (await store.lookup(data.key)).manifest;
      if (had) return had;
      const req: StageRequest = {
        name: data.name, key: data.key, details: data.details, inputs, entries, threads: this.threads(), force: data.force, runId: data.runId,
        stage: { name: data.name, type: data.type, def, options: data.options, inputs: {}, frozen: false, origin: [] },
      };
      return await runLocally(store, this.pool, { cwd: this.o.dir, backend: data.backend, seed: data.seed, plugins }, req, onEvent, signal);
    } finally {
      await release();
    }
  }

  /** An input entry in the local store, pulled from the remote if need be. */
  private async ensureLocal(key: string, remote: RemoteCache): Promise<void> {
    const { store } = this.o;
    if ((await store.lookup(key)).manifest) return;
    const release = await lockKey(store.locksDir(), key, {});
    try {
      if ((await store.lookup(key)).manifest) return;
      const r = await remote.pull(store, key);
      if (r.status !== 'pulled') throw errors.resultMissing({ stage: 'an input', key, url: remote.url, reason: r.status === 'corrupt' ? r.reason : 'it is absent' });
    } finally {
      await release();
    }
  }

  private remoteFor(data: QueuedStage): Promise<RemoteCache> {
    const spec: RemoteSpec = this.o.remote ?? { url: data.remote.url, endpoint: data.remote.endpoint, pull: true, push: true, from: `job ${data.key.slice(0, 12)}` };
    let r = this.remotes.get(spec.url);
    if (!r) { r = openRemote(spec); this.remotes.set(spec.url, r); }
    return r;
  }

  private registryFor(plugins: string[]): Promise<Registry> {
    const id = plugins.join('\n');
    let reg = this.registries.get(id);
    if (!reg) {
      reg = (async () => {
        const r = new Registry();
        for (const p of plugins) {
          const { plugin, meta } = await loadPlugin(p, this.o.dir);
          r.addPlugin(plugin, meta);
        }
        return r;
      })();
      this.registries.set(id, reg);
    }
    return reg;
  }

  /** This machine's cores shared by the stages it runs at once (the submitter's count is for its own cores). */
  private threads(): number {
    return Math.max(1, Math.floor(availableParallelism() / Math.max(1, this.o.concurrency ?? 1)));
  }

  /** Stops taking jobs; with `wait`, lets running stages finish first (else they are re-queued once their lock lapses). */
  async close(wait = true): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(!wait)));
    this.pool.close();
    this.subscriber?.disconnect();
    for (const r of this.remotes.values()) (await r.catch(() => undefined))?.close();
  }
}
