/**
 * @fileoverview `trainyard worker --queue redis://…`: takes stage jobs from the queues of
 * its tags (./connection.ts) and runs each through a StageHost (./stage-host.ts: pull the
 * inputs from the remote cache, run, commit under the job's key, push).
 *
 * BullMQ holds the job's lock while it runs and this process renews it (the stage runs in
 * a child process, so the event loop stays free); a worker that dies stops renewing, and a
 * live worker's stalled check puts the job back on the queue. A result already in the
 * remote cache is never computed again, so a re-queued job whose first worker finished the
 * push but not the job completes at once.
 */
import { hostname } from 'node:os';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { RemoteSpec } from '../../cache/remote/cache.js';
import type { Store } from '../../cache/store.js';
import { asTrainyardError } from '../../errors/index.js';
import { checkReachable, workerQueues, type QueueTarget } from './connection.js';
import { CANCEL_CHANNEL, type ProgressMessage } from './protocol.js';
import { checkQueuedStage } from './queued-stage.js';
import { BACKOFF_TYPE, isRetryable, retryDelayMs } from './retry.js';
import { StageHost } from './stage-host.js';

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
  private readonly host: StageHost;
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, AbortController>();
  private subscriber?: Redis;

  private constructor(private readonly o: QueueWorkerOptions) {
    this.host = new StageHost({ dir: o.dir, store: o.store, remote: o.remote, concurrency: o.concurrency });
  }

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
      const r = await this.host.run(data, (event) => send({ event }), controller.signal, () => {
        this.o.report({ event: 'start', stage: data.name, key: data.key, runId: data.runId, submitter: data.submitter, attempt: job.attemptsMade + 1 });
        send({ event: { type: 'log', level: 'info', message: `running on worker ${this.id}` } });
      });
      await chain;
      if (r.status === 'present') this.o.report({ event: 'present', stage: data.name, key: data.key });
      else this.o.report({ event: 'done', stage: data.name, key: data.key, durationMs: r.durationMs, files: r.files });
      return { status: r.status, worker: this.id };
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

  /** Stops taking jobs; with `wait`, lets running stages finish first (else they are re-queued once their lock lapses). */
  async close(wait = true): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(!wait)));
    this.subscriber?.disconnect();
    await this.host.close();
  }
}
