/**
 * @fileoverview Encodes and counts on several cores with node:worker_threads. Work goes out in
 * batches and results come back in input order, so the output is identical whatever the
 * number of threads. With `threads <= 1` everything runs inline on the calling thread.
 *
 * A long text is cut only where a pre-token boundary is certain (a space right after a
 * non-space character: the GPT-2 pattern always starts a new pre-token there, and no match
 * before it looks past it), so one huge document also spreads over the cores.
 */
import { ThreadPool } from '../util/thread-pool.js';
import { WordCounter } from './count.js';
import type { CountReply } from './tasks.js';
import type { Tokenizer } from './types.js';

const TASKS_URL = new URL(`./tasks.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/** Encodes and counts on a ThreadPool whose workers each hold the tokenizer (tasks.ts). */
export class TokenizerPool {
  /** Null with `threads <= 1`: everything runs inline on `tokenizer`. */
  private readonly pool: ThreadPool | null;

  /** @param tokenizer the tokenizer to encode with (null for a counting-only pool). */
  constructor(readonly tokenizer: Tokenizer | null, readonly threads: number) {
    this.pool = threads > 1 ? new ThreadPool(threads, TASKS_URL, { tokenizer: tokenizer ? tokenizer.toJSON() : null }) : null;
  }

  /** Resolves once every worker has built its tokenizer (and warmed its JIT a little). */
  async ready(): Promise<void> {
    if (!this.tokenizer || !this.pool) return;
    await this.pool.broadcast('encode', ['Warm up, 123 times!']);
  }

  /** Encodes each text (ids per text, in order). */
  async encodeBatch(texts: string[]): Promise<Uint32Array[]> {
    if (!this.pool) return texts.map((t) => this.tokenizer!.encodeToArray(t));
    return this.pool.run<Uint32Array[]>('encode', texts);
  }

  /** Counts the pre-tokens of `texts` into `into`. */
  async countBatch(texts: string[], into: WordCounter, specials: string[]): Promise<void> {
    if (!this.pool) { for (const t of texts) into.add(t); return; }
    const r = await this.pool.run<CountReply>('count', texts, { specials });
    into.merge(r.words, r.counts);
  }

  async close(): Promise<void> {
    await this.pool?.close();
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
const INLINE_COUNT_CHARS = 32 << 20;

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
