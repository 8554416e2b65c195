/**
 * @fileoverview Open-addressing hash table from an id pair `(left, right)` to its merge
 * (rank and merged id), on typed arrays: no boxed doubles, no Map overhead on the hot path.
 */
export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private ranks: Int32Array;
  private merged: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.merged = new Int32Array(cap);
  }

  private slot(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h ^= h >>> 15;
    let i = h & this.mask;
    while (this.keysA[i] !== -1 && (this.keysA[i] !== a || this.keysB[i] !== b)) i = (i + 1) & this.mask;
    return i;
  }

  /** Rank of merging (a, b), or -1 when they do not merge. */
  rank(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.keysA[i] === -1 ? -1 : this.ranks[i]!;
  }

  /** Packed merge of (a, b): `rank * 2^21 + mergedId`, or -1. One probe for both values. */
  packed(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.keysA[i] === -1 ? -1 : this.ranks[i]! * 2097152 + this.merged[i]!;
  }

  /** Id the pair merges into (only valid when rank(a, b) >= 0). */
  mergedId(a: number, b: number): number {
    return this.merged[this.slot(a, b)]!;
  }

  has(a: number, b: number): boolean {
    return this.keysA[this.slot(a, b)] !== -1;
  }

  /** Adds a merge; the first one added for a pair wins. */
  set(a: number, b: number, rank: number, mergedId: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const i = this.slot(a, b);
    if (this.keysA[i] !== -1) return;
    this.keysA[i] = a; this.keysB[i] = b; this.ranks[i] = rank; this.merged[i] = mergedId;
    this.size++;
  }

  private grow(): void {
    const { keysA, keysB, ranks, merged } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.merged = new Int32Array(cap);
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i]!, keysB[i]!, ranks[i]!, merged[i]!);
  }
}
