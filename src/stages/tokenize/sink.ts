/**
 * @fileoverview Collects one split's ids in a growable array of the artifact's dtype (uint16
 * below 65536 ids, else uint32), appending the end-of-text id after each document.
 */
import type { TokenArray } from '../../artifacts/tokens.js';

export class SplitSink {
  private data: TokenArray;
  length = 0;
  docs = 0;

  constructor(private readonly wide: boolean, private readonly eot: number | null) {
    this.data = wide ? new Uint32Array(1 << 16) : new Uint16Array(1 << 16);
  }

  piece(ids: Uint32Array): void {
    if (this.length + ids.length + 1 > this.data.length) this.grow(this.length + ids.length + 1);
    this.data.set(ids, this.length);
    this.length += ids.length;
  }

  docEnd(): void {
    this.docs++;
    if (this.eot === null) return;
    if (this.length + 1 > this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = this.eot;
  }

  private grow(min: number): void {
    const size = Math.max(min, this.data.length * 2);
    const d = this.wide ? new Uint32Array(size) : new Uint16Array(size);
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }

  /** The ids written (a view). */
  view(): TokenArray { return this.data.subarray(0, this.length); }
}
