/**
 * @fileoverview A small ordered worker pool for CPU-heavy data stages (clean, filter, dedupe).
 *
 * A task is a named export of a module (`taskModule`), called as `fn(batch, options)` and
 * returning one result per item. With `threads <= 1` the task runs inline on the main thread;
 * otherwise batches go to `node:worker_threads` workers. Results always come back in input
 * order, so a stage's output is identical whatever the thread count.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';

/** A batch function: same-length results, pure (no I/O, no shared state beyond `options`). */
export type BatchFn<T, R> = (batch: T[], options: any) => R[] | Promise<R[]>;

interface Pending { resolve(v: unknown[]): void; reject(e: unknown): void }

const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const WORKER_URL = new URL(`./worker.${EXT}`, import.meta.url);

export class ThreadPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /**
   * @param threads worker threads; `<= 1` runs inline.
   * @param moduleUrl URL of the module that exports the task functions.
   */
  constructor(readonly threads: number, readonly moduleUrl: URL) {
    if (threads <= 1) return;
    for (let i = 0; i < threads; i++) {
      const w = startWorker(WORKER_URL, { moduleUrl: moduleUrl.href });
      w.on('message', (m: { id: number; ok: boolean; result?: unknown[]; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        this.release(w);
        if (!p) return;
        if (m.ok) p.resolve(m.result ?? []);
        else p.reject(new Error(m.error));
      });
      w.on('error', (err) => { for (const p of this.pending.values()) p.reject(err); this.pending.clear(); });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Runs `fn` (an export of moduleUrl) on one batch. */
  async run<T, R>(fn: string, batch: T[], options: unknown): Promise<R[]> {
    if (this.threads <= 1) {
      const mod = (await import(this.moduleUrl.href)) as Record<string, BatchFn<T, R>>;
      return mod[fn]!(batch, options);
    }
    const w = await this.acquire();
    const id = this.nextId++;
    return new Promise<R[]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown[]) => void, reject });
      w.postMessage({ id, fn, batch, options });
    });
  }

  /**
   * Maps batches through `fn` with up to 2×threads batches in flight, yielding
   * `[batch, results]` in input order. `payload` picks what is sent to the task (default:
   * the batch itself).
   */
  async *map<T, R>(
    fn: string, batches: AsyncIterable<T[]>, options: unknown,
    signal?: AbortSignal, payload: (batch: T[]) => unknown[] = (b) => b,
  ): AsyncGenerator<[T[], R[]]> {
    const inflight: Array<{ batch: T[]; result: Promise<R[]> }> = [];
    const depth = Math.max(1, this.threads * 2);
    for await (const batch of batches) {
      signal?.throwIfAborted();
      const result = this.run<unknown, R>(fn, payload(batch), options);
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
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
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
