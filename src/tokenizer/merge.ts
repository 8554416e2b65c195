/**
 * @fileoverview Applies BPE merges to one pre-token, given as initial symbol ids.
 *
 * `pairs` maps `left * PAIR_MUL + right` to `rank * PAIR_MUL + mergedId`: the lowest rank
 * merges first and, among equal ranks, the leftmost pair (HF tokenizers and tiktoken agree on
 * this order). Short words use tiktoken's in-place scan (fast for the common case); long ones
 * use a linked list and a binary heap (HF `Word::merge_all`), O(n log n), so a 20 MB word
 * with no spaces does not go quadratic.
 */

/** Multiplier that packs two ids (or a rank and an id) in one exact double. Vocab < 2^21. */
export const PAIR_MUL = 2097152;
const NONE = Number.MAX_SAFE_INTEGER;
/** Words at least this long take the heap path. */
const HEAP_FROM = 96;

export type PairTable = Map<number, number>;

/** Merges `ids[0..n)` in place and returns the new length. */
export function mergeWord(ids: Int32Array, n: number, pairs: PairTable): number {
  if (n < 2) return n;
  return n < HEAP_FROM ? mergeShort(ids, n, pairs) : mergeLong(ids, n, pairs);
}

function pairValue(pairs: PairTable, a: number, b: number): number {
  return pairs.get(a * PAIR_MUL + b) ?? NONE;
}

function mergeShort(ids: Int32Array, n: number, pairs: PairTable): number {
  // vals[i] = packed (rank, merged id) of pair (ids[i], ids[i+1]); rank order = value order.
  const vals = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) vals[i] = pairValue(pairs, ids[i]!, ids[i + 1]!);
  vals[n - 1] = NONE;
  while (n > 1) {
    let best = NONE;
    let at = -1;
    for (let i = 0; i < n - 1; i++) {
      if (vals[i]! < best) { best = vals[i]!; at = i; }
    }
    if (at < 0) break;
    ids[at] = best % PAIR_MUL;
    ids.copyWithin(at + 1, at + 2, n);
    vals.copyWithin(at + 1, at + 2, n);
    n--;
    vals[at] = at + 1 < n ? pairValue(pairs, ids[at]!, ids[at + 1]!) : NONE;
    if (at > 0) vals[at - 1] = pairValue(pairs, ids[at - 1]!, ids[at]!);
  }
  return n;
}

function mergeLong(ids: Int32Array, n: number, pairs: PairTable): number {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
  const heap = new MinHeap(n);
  // Heap key: rank * 2^32 + position (exact in a double for rank < 2^21).
  const push = (pos: number): void => {
    const nx = next[pos]!;
    if (nx < 0) return;
    const v = pairValue(pairs, ids[pos]!, ids[nx]!);
    if (v !== NONE) heap.push(Math.floor(v / PAIR_MUL) * 4294967296 + pos);
  };
  for (let i = 0; i < n - 1; i++) push(i);
  while (heap.size > 0) {
    const key = heap.pop();
    const pos = key % 4294967296;
    const rank = (key - pos) / 4294967296;
    const nx = next[pos]!;
    if (prev[pos]! === -2 || nx < 0) continue; // merged away, or now last
    const v = pairValue(pairs, ids[pos]!, ids[nx]!);
    if (v === NONE || Math.floor(v / PAIR_MUL) !== rank) continue; // stale entry
    ids[pos] = v % PAIR_MUL;
    const after = next[nx]!;
    next[pos] = after;
    if (after >= 0) prev[after] = pos;
    prev[nx] = -2;
    if (prev[pos]! >= 0) push(prev[pos]!);
    push(pos);
  }
  let len = 0;
  for (let p = 0; p >= 0; p = next[p]!) ids[len++] = ids[p]!;
  return len;
}

/** A binary min-heap of doubles. */
export class MinHeap {
  private data: Float64Array;
  size = 0;
  constructor(capacity = 64) { this.data = new Float64Array(Math.max(capacity, 4)); }

  push(v: number): void {
    if (this.size === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const a = this.data;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.data;
    const top = a[0]!;
    const last = a[--this.size]!;
    let i = 0;
    const n = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c + 1]! < a[c]!) c++;
      if (a[c]! >= last) break;
      a[i] = a[c]!;
      i = c;
    }
    if (n > 0) a[i] = last;
    return top;
  }
}
