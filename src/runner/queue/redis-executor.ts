/**
 * @fileoverview The BullMQ executor (`trainyard run --executor redis://host:6379`): each
 * ready stage becomes a job on the queue of the tags it needs (./connection.ts), with the
 * stage's cache key as job id, so enqueueing it again (a second run, a re-submitted run)
 * finds the same job instead of computing twice. `trainyard worker`s on any machine take
 * the jobs (./queue-worker.ts), pull the inputs from the remote cache, run the stage and
 * push the result; this side pulls it into the local store.
 *
 *   executeStage ─▶ push inputs to the remote ─▶ queue.add(jobId = key) ─▶ worker …
 *        ◀── QueueEvents: progress (logs, progress, metrics), completed / failed
 *        ◀── remote.pull(key) → local store → lock file, outs
 *
 * Retries (attempts with exponential backoff) and dead workers (BullMQ's job lock: a
 * worker that stops renewing it has its job moved back to the queue by a live one) are
 * BullMQ's. A stage that reads files of this workspace (a `source` stage) runs here.
 */
import { hostname } from 'node:os';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Manifest, Store } from '../../cache/store.js';
import type { RemoteCache } from '../../cache/remote/cache.js';
import type { ResolvedPipeline } from '../../config/types.js';
import { asTrainyardError, errors } from '../../errors/index.js';
import type { Executor, StageRequest } from '../executor.js';
import type { JobEvent } from '../job.js';
import type { LocalExecutor } from '../local-executor.js';
import { checkReachable, queueName, queueTarget, stageTags, type QueueTarget } from './connection.js';
import { queuedStage, type QueuedStage } from './queued-stage.js';
import { DEFAULT_RETRY, stageJobOptions, type RetryPolicy } from './retry.js';
import { CANCEL_CHANNEL, type ProgressMessage } from './protocol.js';

export interface RedisExecutorOptions {
  /** Attempts per stage and the first retry's delay (./retry.ts). @default DEFAULT_RETRY */
  retry?: RetryPolicy;
}

interface Waiter {
  onEvent: (e: JobEvent) => void;
  resolve: () => void;
  reject: (err: unknown) => void;
  lastError?: Record<string, unknown>;
}

/** How often a waiting stage looks at its job besides listening to events. */
const POLL_MS = 5000;

export class RedisExecutor implements Executor {
  readonly name: string;
  private readonly queues = new Map<string, Promise<{ queue: Queue; events: QueueEvents }>>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private publisher?: Redis;

  private constructor(
    private readonly target: QueueTarget,
    private readonly store: Store,
    private readonly pipeline: ResolvedPipeline,
    private readonly remote: RemoteCache,
    private readonly local: LocalExecutor,
    private readonly opts: RedisExecutorOptions,
  ) {
    this.name = target.display;
  }

  /** Connects (E_USAGE when Redis does not answer or no remote cache is set). */
  static async open(url: string, o: { store: Store; pipeline: ResolvedPipeline; remote: RemoteCache | undefined; local: LocalExecutor } & RedisExecutorOptions): Promise<RedisExecutor> {
    const target = queueTarget(url, '--executor');
    if (!o.remote) throw errors.executorNeedsRemote({ url: target.display });
    await checkReachable(target, '--executor');
    return new RedisExecutor(target, o.store, o.pipeline, o.remote, o.local, o);
  }

  async run(req: StageRequest, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest> {
    if (Object.keys(req.details.deps).length > 0) {
      onEvent({ type: 'log', level: 'debug', message: 'runs on this machine: it reads files of this workspace' });
      return this.local.run(req, onEvent, signal);
    }
    // The worker pulls the inputs from the remote: make sure each is there (stages run here, a remote push: false).
    for (const e of new Map(Object.values(req.entries).flat().map((e) => [e.key, e])).values()) await this.remote.push(this.store, e.key);
    const tags = stageTags(req.stage.resources);
    const { queue } = await this.queueFor(queueName(tags));
    const data = queuedStage(req, { dir: this.pipeline.dir, backend: this.pipeline.backend, seed: this.pipeline.seed, plugins: this.pipeline.pluginPaths, remote: this.remote.spec, submitter: `${hostname()} (pid ${process.pid})` });
    const done = this.wait(req.key, onEvent, signal, queue);
    try {
      await this.enqueue(queue, req, data);
      onEvent({ type: 'log', level: 'info', message: `queued on ${this.name} (queue ${queueName(tags)}${tags.length ? `, needs a worker with --tags ${tags.join(',')}` : ''})` });
      await done.promise;
    } finally {
      done.dispose();
    }
    const r = await this.remote.pull(this.store, req.key);
    if (r.status === 'pulled') return r.manifest;
    // Two runs here may have waited for one job: the other pulled it first.
    const local = await this.store.lookup(req.key);
    if (local.manifest) return local.manifest;
    throw errors.resultMissing({ stage: req.name, key: req.key, url: this.remote.url, reason: r.status === 'corrupt' ? r.reason : 'it is absent' });
  }

  /**
   * Adds the job (jobId = key: a job of this key already waiting or running, from another
   * run, is shared). A finished job of the key from an earlier run is replaced, unless its
   * result is in the remote cache and this run does not --force; one from this very run
   * (its worker was quicker than this look) is left alone.
   */
  private async enqueue(queue: Queue, req: StageRequest, data: QueuedStage): Promise<void> {
    const add = () => queue.add(req.name, data, stageJobOptions(req.key, this.opts.retry ?? DEFAULT_RETRY));
    await add();
    const job: Job | undefined = await queue.getJob(req.key);
    if (!job) return; // finished and removed already: the events or the next look settle it
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return;
    if ((job.data as Partial<QueuedStage>).runId === req.runId) return;
    if (state === 'completed' && !req.force && await this.remote.has(req.key)) { this.settle(req.key, 'completed'); return; }
    await job.remove();
    await add();
  }

  /** Resolves when the job completes, rejects when it fails for good; forwards its events. */
  private wait(key: string, onEvent: (e: JobEvent) => void, signal: AbortSignal, queue: Queue): { promise: Promise<void>; dispose: () => void } {
    let waiter!: Waiter;
    const promise = new Promise<void>((resolve, reject) => { waiter = { onEvent, resolve, reject }; });
    promise.catch(() => undefined); // awaited after the job is added; a cancel may come first
    const set = this.waiters.get(key) ?? new Set();
    set.add(waiter);
    this.waiters.set(key, set);
    const onAbort = () => { void this.cancel(queue, key, waiter); };
    signal.addEventListener('abort', onAbort, { once: true });
    // A safety net under the event stream (a reconnect can drop events): look at the job now and then.
    const poll = setInterval(() => { void this.check(queue, key); }, POLL_MS);
    return {
      promise,
      dispose: () => {
        clearInterval(poll);
        signal.removeEventListener('abort', onAbort);
        set.delete(waiter);
        if (set.size === 0) this.waiters.delete(key);
      },
    };
  }

  /** A job not started yet is removed; a running one is told to stop (its worker aborts the stage). */
  private async cancel(queue: Queue, key: string, waiter: Waiter): Promise<void> {
    try {
      const job = await queue.getJob(key);
      const state = job ? await job.getState() : 'unknown';
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) await job.remove();
      if (state !== 'active') { waiter.reject(errors.stageCancelled()); return; }
      this.publisher ??= new Redis(this.target.connection);
      await this.publisher.publish(CANCEL_CHANNEL, key);
    } catch {
      waiter.reject(errors.stageCancelled());
    }
  }

  private async check(queue: Queue, key: string): Promise<void> {
    try {
      const job = await queue.getJob(key);
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed') this.settle(key, 'completed');
      else if (state === 'failed') this.settle(key, 'failed', job?.failedReason);
    } catch {
      // Redis unreachable for now: ioredis reconnects, the next look may succeed.
    }
  }

  private settle(key: string, how: 'completed' | 'failed', reason?: string): void {
    for (const w of this.waiters.get(key) ?? []) {
      if (how === 'completed') w.resolve();
      else w.reject(asTrainyardError(w.lastError ?? new Error(reason ?? 'the job failed')));
    }
  }

  private queueFor(name: string): Promise<{ queue: Queue; events: QueueEvents }> {
    let q = this.queues.get(name);
    if (!q) {
      q = (async () => {
        const queue = new Queue(name, { connection: this.target.connection });
        // Read the event stream from its present end, so no event after this point is missed
        // (QueueEvents' default, "$", only starts once its blocking read does).
        const client = (await queue.client) as unknown as Redis;
        const last = await client.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1);
        const events = new QueueEvents(name, { connection: this.target.connection, lastEventId: last[0]?.[0] ?? '0-0' });
        events.on('progress', ({ jobId, data }) => {
          const m = data as ProgressMessage;
          for (const w of this.waiters.get(jobId) ?? []) {
            if (m && typeof m === 'object' && 'error' in m) w.lastError = m.error;
            else if (m && typeof m === 'object' && 'event' in m) w.onEvent(m.event);
          }
        });
        events.on('completed', ({ jobId }) => this.settle(jobId, 'completed'));
        events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, 'failed', failedReason));
        events.on('stalled', ({ jobId }) => {
          for (const w of this.waiters.get(jobId) ?? []) w.onEvent({ type: 'log', level: 'warn', message: 'its worker stopped answering (killed?); the stage is back on the queue for another worker' });
        });
        await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
        return { queue, events };
      })();
      this.queues.set(name, q);
    }
    return q;
  }

  async close(): Promise<void> {
    await this.local.close();
    for (const q of this.queues.values()) {
      const { queue, events } = await q.catch(() => ({ queue: undefined, events: undefined }));
      await events?.close();
      await queue?.close();
    }
    this.queues.clear();
    this.publisher?.disconnect();
  }
}
