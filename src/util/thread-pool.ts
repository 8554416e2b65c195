/**
 * @fileoverview The one worker-thread pool (data stages, tokenizer). A task is a named export
 * of a module (`moduleUrl`), called as `fn(batch, options)`; the module may also export
 * `setup(init)`, run once per worker before any task (the tokenizer builds itself there).
 * With `threads <= 1` tasks run inline on the calling thread. Each worker holds up to two
 * batches (one running, one queued), so it never waits on a round trip; `map` yields results
 * in input order, so output never depends on the thread count.
 *
 *   const pool = new ThreadPool(ctx.threads, new URL('./task.js', import.meta.url));
 *   for await (const [batch, results] of pool.map('clean', batched(docs, size), options)) …
 *   await pool.close();
 *
 * Typed arrays in a task's result are transferred, not copied (see thread-worker.ts).
 */
import { Worker } from 'node:worker_threads';

/** A batch function: pure (no I/O, no shared state beyond `options` and its setup). */
export type BatchFn<T, R> = (batch: T[], options: any) => R | Promise<R>;

/** Messages between ThreadPool and thread-worker.ts. */
export interface TaskRequest { id: number; fn: string; batch: unknown[]; options: unknown }
export interface TaskReply { id: number; ok: boolean; result?: unknown; error?: string }

interface Slot { worker: Worker; busy: number }
interface Pending { slot: Slot; resolve(v: unknown): void; reject(e: unknown): void }

/** Batches a worker holds at once: one running, one waiting in its message queue. */
const PER_WORKER = 2;
const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const WORKER_URL = new URL(`./thread-worker.${EXT}`, import.meta.url);

export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /**
   * @param threads worker threads; `<= 1` runs inline.
   * @param moduleUrl URL of the module that exports the task functions (and maybe `setup`).
   * @param init passed to the module's `setup` in each worker (structured-cloned).
   */
  constructor(readonly threads: number, readonly moduleUrl: URL, readonly init?: unknown) {
    if (threads <= 1) return;
    for (let i = 0; i < threads; i++) {
      const slot: Slot = { worker: startWorker(WORKER_URL, { moduleUrl: moduleUrl.href, init }), busy: 0 };
      slot.worker.on('message', (m: TaskReply) => this.settle(m));
      slot.worker.on('error', (err) => { for (const p of this.pending.values()) p.reject(err); this.pending.clear(); });
      this.slots.push(slot);
    }
  }

  private settle(m: TaskReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    p.slot.busy--;
    this.waiting.shift()?.();
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error));
  }

  /** The least busy worker with room for a batch, waiting for one when all are full. */
  private async acquire(): Promise<Slot> {
    for (;;) {
      const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy < PER_WORKER) return slot;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private send<R>(slot: Slot, fn: string, batch: unknown[], options: unknown): Promise<R> {
    const id = this.nextId++;
    slot.busy++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { slot, resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage({ id, fn, batch, options } satisfies TaskRequest);
    });
  }

  /** The task module on this thread, set up once (inline mode). */
  private inlineModule?: Promise<Record<string, BatchFn<unknown, unknown> | undefined>>;

  private async inline<R>(fn: string, batch: unknown[], options: unknown): Promise<R> {
    this.inlineModule ??= (async () => {
      const mod = (await import(this.moduleUrl.href)) as Record<string, BatchFn<unknown, unknown> | undefined> & { setup?: (init: unknown) => unknown };
      if (typeof mod.setup === 'function') await mod.setup(this.init);
      return mod;
    })();
    const task = fn === 'setup' ? undefined : (await this.inlineModule)[fn] as BatchFn<unknown, R> | undefined;
    if (!task) throw new Error(`task module ${this.moduleUrl.href} has no export "${fn}"`);
    return task(batch, options);
  }

  /** Runs `fn` (an export of moduleUrl) on one batch. */
  async run<R>(fn: string, batch: unknown[], options?: unknown): Promise<R> {
    if (this.threads <= 1) return this.inline<R>(fn, batch, options);
    return this.send<R>(await this.acquire(), fn, batch, options);
  }

  /** Runs `fn` once on every worker (e.g. a warm-up); once inline without workers. */
  async broadcast<R>(fn: string, batch: unknown[], options?: unknown): Promise<R[]> {
    if (this.threads <= 1) return [await this.inline<R>(fn, batch, options)];
    return Promise.all(this.slots.map((slot) => this.send<R>(slot, fn, batch, options)));
  }

  /**
   * Maps batches through `fn` (one result per item) with up to 2×threads batches in flight,
   * yielding `[batch, results]` in input order. `payload` picks what is sent to the task
   * (default: the batch itself).
   */
  async *map<T, R>(
    fn: string, batches: AsyncIterable<T[]>, options: unknown,
    signal?: AbortSignal, payload: (batch: T[]) => unknown[] = (b) => b,
  ): AsyncGenerator<[T[], R[]]> {
    const inflight: Array<{ batch: T[]; result: Promise<R[]> }> = [];
    const depth = Math.max(1, this.threads * PER_WORKER);
    for await (const batch of batches) {
      signal?.throwIfAborted();
      const result = this.run<R[]>(fn, payload(batch), options);
      result.catch(() => undefined); // surfaced when awaited in order below
      inflight.push({ batch, result });
      if (inflight.length >= depth) {
        const head = inflight.shift()!;
        yield [head.batch, await head.result];
      }
    }
    while (inflight.length > 0) {
      const head = inflight.shift()!;
      yield [head.batch, await head.result];
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** Groups an async stream into batches of at most `maxItems` items or about `maxChars` characters. */
export async function* batched<T>(items: AsyncIterable<T>, size: (x: T) => number, maxItems = 256, maxChars = 4 << 20): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let chars = 0;
  for await (const x of items) {
    batch.push(x);
    chars += size(x);
    if (batch.length >= maxItems || chars >= maxChars) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Starts a worker thread from compiled JS or from the TypeScript sources. Under tsx (tests,
 * `npm run bench`) Node 20 loads a worker's entry before `--import` hooks are ready, so a
 * tiny boot module registers tsx in the thread first.
 */
function startWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
