/**
 * @fileoverview Encodes and counts on several cores with node:worker_threads. Work goes out in
 * batches and results come back in input order, so the output is identical whatever the
 * number of threads. With `threads <= 1` everything runs inline on the calling thread.
 *
 * A long text is cut only where a pre-token boundary is certain (a space right after a
 * non-space character: the GPT-2 pattern always starts a new pre-token there, and no match
 * before it looks past it), so one huge document also spreads over the cores.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';
import { WordCounter } from './count.js';
import type { Tokenizer } from './types.js';

type Request =
  | { op: 'encode'; texts: string[] }
  | { op: 'count'; texts: string[]; specials: string[]; pattern?: string };
export type PoolRequest = Request & { id: number };
export interface PoolReply { id: number; ok: boolean; ids?: Uint32Array[]; words?: string[]; counts?: Float64Array; error?: string }

const WORKER_URL = new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

export class TokenizerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve(r: PoolReply): void; reject(e: unknown): void }>();
  private next = 0;
  private nextId = 0;

  /** @param tokenizer the tokenizer to encode with (null for a counting-only pool). */
  constructor(readonly tokenizer: Tokenizer | null, readonly threads: number) {
    if (threads <= 1) return;
    const json = tokenizer ? tokenizer.toJSON() : null;
    for (let i = 0; i < threads; i++) {
      const w = startWorker(WORKER_URL, { json });
      w.on('message', (r: PoolReply) => {
        const p = this.pending.get(r.id);
        this.pending.delete(r.id);
        if (!p) return;
        if (r.ok) p.resolve(r); else p.reject(new Error(r.error));
      });
      w.on('error', (err) => { for (const p of this.pending.values()) p.reject(err); this.pending.clear(); });
      this.workers.push(w);
    }
  }

  /** Resolves once every worker has built its tokenizer (and warmed its JIT a little). */
  async ready(): Promise<void> {
    if (!this.tokenizer) return;
    await Promise.all(this.workers.map((w) => this.send({ op: 'encode', texts: ['Warm up, 123 times!'] }, w)));
  }

  private send(req: Request, worker?: Worker): Promise<PoolReply> {
    const id = this.nextId++;
    const w = worker ?? this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...req, id });
    });
  }

  /** Encodes each text (ids per text, in order). */
  async encodeBatch(texts: string[]): Promise<Uint32Array[]> {
    if (this.workers.length === 0) return texts.map((t) => this.tokenizer!.encodeToArray(t));
    return (await this.send({ op: 'encode', texts })).ids!;
  }

  /** Counts the pre-tokens of `texts` into `into`. */
  async countBatch(texts: string[], into: WordCounter, specials: string[]): Promise<void> {
    if (this.workers.length === 0) { for (const t of texts) into.add(t); return; }
    const r = await this.send({ op: 'count', texts, specials });
    into.merge(r.words!, r.counts!);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** Bytes of text per batch sent to a worker. */
export const BATCH_CHARS = 1 << 20;

/**
 * Cuts `text` into pieces of about `size` characters at safe pre-token boundaries; encoding
 * the pieces one by one gives exactly the ids of the whole.
 */
export function cutText(text: string, size: number = BATCH_CHARS): string[] {
  if (text.length <= size) return [text];
  const out: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    let p = text.indexOf(' ', start + size);
    while (p > 0 && isSpace(text.charCodeAt(p - 1))) p = text.indexOf(' ', p + 1);
    if (p < 0) break;
    out.push(text.slice(start, p));
    start = p;
  }
  out.push(text.slice(start));
  return out;
}

const SPACE_RE = /\s/;
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE_RE.test(String.fromCharCode(c)));
}

/** Corpora smaller than this are counted inline: starting workers would cost more than it saves. */
export const INLINE_COUNT_CHARS = 32 << 20;

/**
 * Counts the pre-tokens of `docs`: inline for the first INLINE_COUNT_CHARS characters, then on
 * `threads` workers (never when `threads <= 1`). Counts are sums, so the result does not
 * depend on the thread count.
 */
export async function countWords(docs: AsyncIterable<string> | Iterable<string>, specials: string[], threads: number,
  onBatch?: (docsDone: number) => void, inlineChars: number = INLINE_COUNT_CHARS): Promise<WordCounter> {
  const counter = new WordCounter(specials);
  let pool: TokenizerPool | undefined;
  const inflight: Array<Promise<void>> = [];
  let batch: string[] = [];
  let chars = 0, total = 0, n = 0;
  try {
    for await (const t of docs) {
      n++;
      total += t.length;
      if (!pool && (threads <= 1 || total < inlineChars)) {
        counter.add(t);
        if (n % 1000 === 0) onBatch?.(n);
        continue;
      }
      pool ??= new TokenizerPool(null, threads);
      batch.push(t); chars += t.length;
      if (chars < BATCH_CHARS) continue;
      inflight.push(pool.countBatch(batch, counter, specials));
      batch = []; chars = 0;
      if (inflight.length >= threads * 2) await inflight.shift();
      onBatch?.(n);
    }
    if (pool && batch.length > 0) inflight.push(pool.countBatch(batch, counter, specials));
    await Promise.all(inflight);
  } finally {
    await pool?.close();
  }
  return counter;
}
