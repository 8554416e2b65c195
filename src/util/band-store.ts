/**
 * @fileoverview Memory-bounded store of LSH bucket keys: per band, records of
 * (keyHi, keyLo, doc) as uint32 triples. When the in-memory total passes the budget, every
 * band's buffer is appended to `<tmpDir>/band-<b>.bin`; grouping then handles one band at a
 * time (sort by key, then doc), so peak memory is about one band of the corpus.
 */
import { appendFile, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class BandStore {
  private readonly bufs: Uint32Array[];
  private readonly lens: number[];
  private inMemory = 0;
  spilledBytes = 0;

  /** @param budgetBytes in-memory bytes before spilling to disk. */
  constructor(readonly bands: number, readonly tmpDir: string, readonly budgetBytes: number) {
    this.bufs = Array.from({ length: bands }, () => new Uint32Array(3 * 1024));
    this.lens = new Array<number>(bands).fill(0);
  }

  private file(band: number): string {
    return join(this.tmpDir, `band-${band}.bin`);
  }

  async add(band: number, hi: number, lo: number, doc: number): Promise<void> {
    let buf = this.bufs[band]!;
    const len = this.lens[band]!;
    if (len + 3 > buf.length) {
      const grown = new Uint32Array(buf.length * 2);
      grown.set(buf);
      this.bufs[band] = buf = grown;
    }
    buf[len] = hi; buf[len + 1] = lo; buf[len + 2] = doc;
    this.lens[band] = len + 3;
    this.inMemory += 12;
    if (this.inMemory >= this.budgetBytes) await this.spill();
  }

  /** Appends every band's buffer to its file and frees the memory. */
  async spill(): Promise<void> {
    for (let b = 0; b < this.bands; b++) {
      const len = this.lens[b]!;
      if (len === 0) continue;
      const bytes = new Uint8Array(this.bufs[b]!.buffer, 0, len * 4);
      await appendFile(this.file(b), bytes);
      this.spilledBytes += bytes.length;
      this.bufs[b] = new Uint32Array(3 * 1024);
      this.lens[b] = 0;
    }
    this.inMemory = 0;
  }

  /** Groups of ≥ 2 documents sharing a key in `band`, each sorted ascending, in key order. */
  async groups(band: number): Promise<number[][]> {
    const parts: Uint32Array[] = [];
    if (existsSync(this.file(band))) {
      const raw = await readFile(this.file(band));
      parts.push(new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4));
      await rm(this.file(band));
    }
    parts.push(this.bufs[band]!.subarray(0, this.lens[band]!));
    const n = parts.reduce((s, p) => s + p.length / 3, 0);
    const all = new Uint32Array(n * 3);
    let off = 0;
    for (const p of parts) { all.set(p, off); off += p.length; }
    const order = new Uint32Array(n).map((_, i) => i);
    order.sort((x, y) => all[3 * x]! - all[3 * y]! || all[3 * x + 1]! - all[3 * y + 1]! || all[3 * x + 2]! - all[3 * y + 2]!);
    const out: number[][] = [];
    for (let i = 0; i < n;) {
      let j = i + 1;
      const a = order[i]!;
      while (j < n && all[3 * order[j]!] === all[3 * a] && all[3 * order[j]! + 1] === all[3 * a + 1]) j++;
      if (j - i > 1) out.push(Array.from(order.subarray(i, j), (k) => all[3 * k + 2]!));
      i = j;
    }
    return out;
  }
}
