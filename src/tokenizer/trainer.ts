/**
 * @fileoverview Byte-level BPE trainer (HF tokenizers' `BpeTrainer` algorithm).
 *
 * 1. Count pre-tokens ("words"): memory is bounded by the number of distinct words, not the
 *    corpus (see count.ts).
 * 2. Each distinct word becomes a run of byte symbols; pair counts are weighted by word count,
 *    and each pair keeps the list of words it occurs in.
 * 3. Repeatedly pop the most frequent pair from a lazy max-heap, merge it in just the words
 *    that contain it, and apply the count changes. Ties go to the smallest `(left, right)`.
 *
 * Vocabulary layout (as HF's trainer): special tokens first, then the 256 bytes ordered by
 * their GPT-2 characters, then one token per merge.
 */
import type { BpeSpec } from './bpe.js';
import { BYTE_TO_CHAR } from './bytes.js';
import { PairHeap } from './pair-heap.js';

export interface TrainOptions {
  /** Target vocabulary size, special tokens and the 256 byte tokens included. */
  vocabSize: number;
  /** A pair must occur at least this often to be merged. @default 2 */
  minFrequency?: number;
  /** @default ['<|endoftext|>'] */
  specialTokens?: string[];
  /** Called after merges with (merges done, merges wanted). */
  onProgress?: (done: number, total: number) => void;
}

/** Packs a pair of ids into one exact double key (ids < 2^21); key order = (left, right) order. */
const PAIR_MUL = 2097152;

/** Words packed into flat arrays: symbols of word w live at `syms[start[w] .. start[w]+len[w])`. */
interface Corpus { syms: Int32Array; start: Int32Array; len: Int32Array; count: Float64Array }

/** Trains merges from a word-count map. Deterministic: words are sorted first. */
export function trainFromCounts(counts: Map<string, number>, opts: TrainOptions): BpeSpec {
  const specials = opts.specialTokens ?? ['<|endoftext|>'];
  const minFreq = Math.max(1, opts.minFrequency ?? 2);
  const tokens: Array<Uint8Array | null> = specials.map(() => null);
  const byteId = new Int32Array(256);
  const order = [...Array(256).keys()].sort((a, b) => BYTE_TO_CHAR[a]!.charCodeAt(0) - BYTE_TO_CHAR[b]!.charCodeAt(0));
  for (const b of order) { byteId[b] = tokens.length; tokens.push(Uint8Array.of(b)); }
  const corpus = packWords(counts, byteId);
  const wanted = Math.max(0, opts.vocabSize - tokens.length);
  const merges = runMerges(corpus, tokens, wanted, minFreq, opts.onProgress);
  return { tokens, merges, specials: new Map(specials.map((s, i) => [s, i])) };
}

function packWords(counts: Map<string, number>, byteId: Int32Array): Corpus {
  const words = [...counts.keys()].sort();
  const bytes = words.map((w) => Buffer.from(w, 'utf8'));
  const total = bytes.reduce((s, b) => s + b.length, 0);
  const c: Corpus = {
    syms: new Int32Array(total), start: new Int32Array(words.length),
    len: new Int32Array(words.length), count: new Float64Array(words.length),
  };
  let at = 0;
  bytes.forEach((b, w) => {
    c.start[w] = at; c.len[w] = b.length; c.count[w] = counts.get(words[w]!)!;
    for (const x of b) c.syms[at++] = byteId[x]!;
  });
  return c;
}

function runMerges(c: Corpus, tokens: Array<Uint8Array | null>, wanted: number, minFreq: number,
  onProgress?: (done: number, total: number) => void): Array<[number, number]> {
  const pairCount = new Map<number, number>();
  const where = new Map<number, number[]>();
  for (let w = 0; w < c.len.length; w++) addWordPairs(c, w, pairCount, where, null);
  const heap = new PairHeap();
  for (const [key, n] of pairCount) heap.push(n, key);
  const merges: Array<[number, number]> = [];
  const stamp = new Int32Array(c.len.length).fill(-1);
  while (merges.length < wanted) {
    const top = heap.peek();
    if (!top) break;
    heap.pop();
    const cur = pairCount.get(top.key) ?? 0;
    if (cur !== top.count) { if (cur > 0) heap.push(cur, top.key); continue; }
    if (cur < minFreq) break;
    const a = Math.floor(top.key / PAIR_MUL), b = top.key % PAIR_MUL;
    const id = tokens.length;
    tokens.push(concat(tokens[a]!, tokens[b]!));
    merges.push([a, b]);
    const delta = new Map<number, number>();
    for (const w of where.get(top.key) ?? []) {
      if (stamp[w] === id) continue; // listed twice
      stamp[w] = id;
      mergeInWord(c, w, a, b, id, delta, where);
    }
    where.delete(top.key);
    for (const [key, d] of delta) {
      if (d === 0) continue;
      const n = (pairCount.get(key) ?? 0) + d;
      if (n <= 0) pairCount.delete(key); else pairCount.set(key, n);
      if (d > 0) heap.push(n, key);
    }
    if (onProgress && (merges.length % 256 === 0 || merges.length === wanted)) onProgress(merges.length, wanted);
  }
  return merges;
}

/** Adds (or with `delta`, records) the pair counts of word w. */
function addWordPairs(c: Corpus, w: number, pairCount: Map<number, number>, where: Map<number, number[]>, onlyWith: number | null): void {
  const s = c.start[w]!, n = c.len[w]!, k = c.count[w]!;
  for (let i = s; i < s + n - 1; i++) {
    const l = c.syms[i]!, r = c.syms[i + 1]!;
    if (onlyWith !== null && l !== onlyWith && r !== onlyWith) continue;
    const key = l * PAIR_MUL + r;
    pairCount.set(key, (pairCount.get(key) ?? 0) + k);
    const list = where.get(key);
    if (!list) where.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  }
}

/** Merges every (a, b) in word w left to right, recording pair-count changes in `delta`. */
function mergeInWord(c: Corpus, w: number, a: number, b: number, id: number, delta: Map<number, number>, where: Map<number, number[]>): void {
  const s = c.start[w]!, n = c.len[w]!, k = c.count[w]!;
  const syms = c.syms;
  let found = false;
  for (let i = s; i < s + n - 1; i++) if (syms[i] === a && syms[i + 1] === b) { found = true; break; }
  if (!found) return;
  for (let i = s; i < s + n - 1; i++) bump(delta, syms[i]! * PAIR_MUL + syms[i + 1]!, -k);
  let out = s;
  for (let i = s; i < s + n; i++) {
    if (i < s + n - 1 && syms[i] === a && syms[i + 1] === b) { syms[out++] = id; i++; }
    else syms[out++] = syms[i]!;
  }
  c.len[w] = out - s;
  for (let i = s; i < out - 1; i++) {
    const key = syms[i]! * PAIR_MUL + syms[i + 1]!;
    bump(delta, key, k);
    if (syms[i] === id || syms[i + 1] === id) {
      const list = where.get(key);
      if (!list) where.set(key, [w]);
      else if (list[list.length - 1] !== w) list.push(w);
    }
  }
}

function bump(m: Map<number, number>, key: number, d: number): void {
  m.set(key, (m.get(key) ?? 0) + d);
}

function concat(x: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(x.length + y.length);
  out.set(x); out.set(y, x.length);
  return out;
}
