/**
 * @fileoverview Applies BPE merges to one pre-token, given as initial symbol ids.
 *
 * The pair with the lowest rank merges first and, among equal ranks, the leftmost (HF
 * tokenizers and tiktoken agree on this order). Short words use tiktoken's in-place scan
 * (fast for the common case). Long ones use a linked list and a queue of per-rank position
 * lists, so a 20 MB word with no spaces costs O(n) merges, not O(n^2) scans.
 */
import { PairTable } from './pair-table.js';

export { PairTable };

/** Words at least this long take the bucket-queue path. */
const LONG_FROM = 64;

/** Merges `ids[0..n)` in place and returns the new length. */
export function mergeWord(ids: Int32Array, n: number, pairs: PairTable): number {
  if (n < 2) return n;
  return n < LONG_FROM ? mergeShort(ids, n, pairs) : mergeLong(ids, n, pairs);
}

function mergeShort(ids: Int32Array, n: number, pairs: PairTable): number {
  const ranks = new Int32Array(n); // ranks[i]: rank of (ids[i], ids[i+1]), -1 if none
  for (let i = 0; i < n - 1; i++) ranks[i] = pairs.rank(ids[i]!, ids[i + 1]!);
  ranks[n - 1] = -1;
  while (n > 1) {
    let best = -1, at = -1;
    for (let i = 0; i < n - 1; i++) {
      const r = ranks[i]!;
      if (r >= 0 && (best < 0 || r < best)) { best = r; at = i; }
    }
    if (at < 0) break;
    ids[at] = pairs.mergedId(ids[at]!, ids[at + 1]!);
    ids.copyWithin(at + 1, at + 2, n);
    ranks.copyWithin(at + 1, at + 2, n);
    n--;
    ranks[at] = at + 1 < n ? pairs.rank(ids[at]!, ids[at + 1]!) : -1;
    if (at > 0) ranks[at - 1] = pairs.rank(ids[at - 1]!, ids[at]!);
  }
  return n;
}

/**
 * Queue of pending merges: for each rank, the positions where that pair may be (entries go
 * stale when a neighbour merges; they are checked when taken). Ranks come out lowest first.
 */
class RankQueue {
  private readonly lists = new Map<number, number[]>();
  private readonly heap: number[] = [];

  add(rank: number, pos: number): void {
    const l = this.lists.get(rank);
    if (l) { l.push(pos); return; }
    this.lists.set(rank, [pos]);
    const h = this.heap;
    let i = h.length;
    h.push(rank);
    while (i > 0 && h[(i - 1) >> 1]! > rank) { h[i] = h[(i - 1) >> 1]!; i = (i - 1) >> 1; }
    h[i] = rank;
  }

  /** Takes the lowest rank and its positions, sorted ascending; undefined when empty. */
  take(): { rank: number; positions: number[] } | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const rank = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= h.length) break;
        if (c + 1 < h.length && h[c + 1]! < h[c]!) c++;
        if (h[c]! >= last) break;
        h[i] = h[c]!; i = c;
      }
      h[i] = last;
    }
    const positions = this.lists.get(rank)!;
    this.lists.delete(rank);
    for (let i = 1; i < positions.length; i++) {
      if (positions[i]! < positions[i - 1]!) { positions.sort((a, b) => a - b); break; }
    }
    return { rank, positions };
  }
}

function mergeLong(ids: Int32Array, n: number, pairs: PairTable): number {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
  const q = new RankQueue();
  for (let i = 0; i < n - 1; i++) {
    const r = pairs.rank(ids[i]!, ids[i + 1]!);
    if (r >= 0) q.add(r, i);
  }
  // Adds the pair starting at `pos`; returns its rank (or -1).
  const addAt = (pos: number): number => {
    const nx = next[pos]!;
    if (pos < 0 || nx < 0) return -1;
    const r = pairs.rank(ids[pos]!, ids[nx]!);
    if (r >= 0) q.add(r, pos);
    return r;
  };
  for (let job = q.take(); job; job = q.take()) {
    const { rank, positions } = job;
    for (let k = 0; k < positions.length; k++) {
      const pos = positions[k]!;
      const nx = next[pos]!;
      if (prev[pos] === -2 || nx < 0) continue; // merged away, or now last
      const v = pairs.packed(ids[pos]!, ids[nx]!);
      if (v < 0 || Math.floor(v / 2097152) !== rank) continue; // stale
      ids[pos] = v % 2097152;
      const after = next[nx]!;
      next[pos] = after;
      if (after >= 0) prev[after] = pos;
      prev[nx] = -2;
      const r1 = prev[pos]! >= 0 ? addAt(prev[pos]!) : -1;
      const r2 = addAt(pos);
      // A new pair that outranks this one must merge first: requeue the rest and restart.
      if ((r1 >= 0 && r1 < rank) || (r2 >= 0 && r2 < rank)) {
        for (let j = k + 1; j < positions.length; j++) q.add(rank, positions[j]!);
        break;
      }
    }
  }
  let len = 0;
  for (let p = 0; p >= 0; p = next[p]!) ids[len++] = ids[p]!;
  return len;
}
