/**
 * @fileoverview Verification of LSH candidates: the pairs of documents that share a band
 * bucket are checked by exact Jaccard similarity of their word n-gram shingle sets, and only
 * pairs at or above the threshold are joined, so a cluster is connected by verified edges
 * and every removed document has a verified twin in it.
 *
 *   bucket [a, b, c] ─▶ pairs (a,b) (a,c) (b,c) ─▶ J ≥ threshold? ─▶ union
 */
import { jaccard } from './minhash.js';
import type { UnionFind } from './union-find.js';

/**
 * Each bucket member is paired with at most this many members before it, so a bucket of k
 * documents costs O(k · cap) checks rather than O(k²) (a bucket that large is nearly always
 * one cluster, which the earlier pairs already connect).
 * @default 16
 */
export const MAX_PARTNERS = 16;

/**
 * Candidate pairs `[x, y]` (x < y) of one bucket: every pair of distinct members, each member
 * paired with its `cap` nearest predecessors. `members` may repeat (documents of one exact
 * cluster are passed as their cluster's root); repeats count once.
 */
export function bucketPairs(members: readonly number[], cap: number = MAX_PARTNERS): Array<[number, number]> {
  const u = [...new Set(members)].sort((x, y) => x - y);
  const out: Array<[number, number]> = [];
  for (let j = 1; j < u.length; j++) {
    for (let i = Math.max(0, j - cap); i < j; i++) out.push([u[i]!, u[j]!]);
  }
  return out;
}

/** Candidate pairs of `n` documents, each kept once (key x·n + y, exact below 2^53). */
export class PairSet {
  private readonly keys = new Set<number>();
  constructor(private readonly n: number) {}

  add(x: number, y: number): void {
    this.keys.add(x * this.n + y);
  }

  get size(): number {
    return this.keys.size;
  }

  /** The documents named in any pair. */
  docs(): Set<number> {
    const out = new Set<number>();
    for (const k of this.keys) { out.add(Math.floor(k / this.n)); out.add(k % this.n); }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<[number, number]> {
    for (const k of this.keys) yield [Math.floor(k / this.n), k % this.n];
  }
}

/** What verification did: pairs checked, pairs below the threshold, best verified J per doc. */
export interface VerifyResult { checked: number; rejected: number; best: Float32Array }

/**
 * Checks each pair not yet in one cluster by exact Jaccard and unions the verified ones.
 * `best[i]` is the highest verified similarity of document i (0: none).
 */
export function verifyPairs(pairs: PairSet, sets: Map<number, Uint32Array>, uf: UnionFind, threshold: number, n: number): VerifyResult {
  const best = new Float32Array(n);
  let checked = 0, rejected = 0;
  for (const [x, y] of pairs) {
    if (uf.find(x) === uf.find(y)) continue;
    checked++;
    const j = jaccard(sets.get(x)!, sets.get(y)!);
    if (j < threshold) { rejected++; continue; }
    uf.union(x, y);
    best[x] = Math.max(best[x]!, j);
    best[y] = Math.max(best[y]!, j);
  }
  return { checked, rejected, best };
}
