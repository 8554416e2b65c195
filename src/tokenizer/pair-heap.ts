/**
 * @fileoverview Max-heap of (count, pair) for the BPE trainer: highest count first, then the
 * smallest pair `(left, right)` (HF tokenizers' tie-break), so training is deterministic.
 * Counts are doubles (exact to 2^53: no u32 overflow, tokenizers#1170).
 */
export class PairHeap {
  private counts = new Float64Array(1024);
  private keys = new Float64Array(1024);
  size = 0;

  /** True if entry i should come out before entry j. */
  private before(ci: number, ki: number, cj: number, kj: number): boolean {
    return ci > cj || (ci === cj && ki < kj);
  }

  push(count: number, key: number): void {
    if (this.size === this.counts.length) this.grow();
    const c = this.counts, k = this.keys;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(count, key, c[p]!, k[p]!)) break;
      c[i] = c[p]!; k[i] = k[p]!;
      i = p;
    }
    c[i] = count; k[i] = key;
  }

  /** The top entry's count and key (undefined when empty). */
  peek(): { count: number; key: number } | undefined {
    return this.size === 0 ? undefined : { count: this.counts[0]!, key: this.keys[0]! };
  }

  pop(): void {
    const c = this.counts, k = this.keys;
    const n = --this.size;
    const lc = c[n]!, lk = k[n]!;
    let i = 0;
    for (;;) {
      let ch = 2 * i + 1;
      if (ch >= n) break;
      if (ch + 1 < n && this.before(c[ch + 1]!, k[ch + 1]!, c[ch]!, k[ch]!)) ch++;
      if (!this.before(c[ch]!, k[ch]!, lc, lk)) break;
      c[i] = c[ch]!; k[i] = k[ch]!;
      i = ch;
    }
    if (n > 0) { c[i] = lc; k[i] = lk; }
  }

  private grow(): void {
    const c = new Float64Array(this.counts.length * 2); c.set(this.counts); this.counts = c;
    const k = new Float64Array(this.keys.length * 2); k.set(this.keys); this.keys = k;
  }
}
