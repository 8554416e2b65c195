/**
 * @fileoverview Tokenized pairs → PairBatch (2·B right-padded rows: chosen then rejected,
 * each prompt ⊕ completion, padded to the batch's longest row), and a batch source over the
 * pairs in a fresh shuffled order every epoch whose position is checkpointed (exact resume).
 */
import type { BatchSource } from '../train/objective.js';
import type { PairBatch } from '../train/preference-objectives.js';
import { Rng, seedFrom } from '../util/random.js';
import type { EncodedPair } from './encode.js';

/** Stacks pairs `idx` of `pairs` into one batch; `reference` ([2 per pair]: chosen, rejected) fills batch.reference. */
export function toPairBatch(pairs: readonly EncodedPair[], idx: readonly number[], padId: number, reference?: Float32Array): PairBatch {
  const B = idx.length;
  const picked = idx.map((i) => pairs[i]!);
  const seqs = [...picked.map((p) => [p.prompt, p.chosen] as const), ...picked.map((p) => [p.prompt, p.rejected] as const)];
  const T = Math.max(...seqs.map(([p, c]) => p.length + c.length));
  const x = new Int32Array(2 * B * T).fill(padId), y = new Int32Array(2 * B * T).fill(-1);
  const last = new Int32Array(2 * B), completionTokens = new Int32Array(2 * B);
  seqs.forEach(([p, c], r) => {
    x.set(p, r * T);
    x.set(c, r * T + p.length);
    const n = p.length + c.length;
    last[r] = n - 1;
    completionTokens[r] = c.length;
    // position i predicts token i+1: the completion's tokens are targets at positions P-1 … n-2
    for (let i = Math.max(0, p.length - 1); i < n - 1; i++) y[r * T + i] = x[r * T + i + 1]!;
  });
  const batch: PairBatch = { x, y, rows: 2 * B, cols: T, last, completionTokens, margin: Float32Array.from(picked, (p) => p.margin), pairs: Int32Array.from(idx) };
  if (reference) batch.reference = Float32Array.from([...idx.map((i) => reference[2 * i]!), ...idx.map((i) => reference[2 * i + 1]!)]);
  return batch;
}

/** Batches of consecutive pairs in file order (held-out evaluation; the last one may be short). */
export function fixedPairBatches(pairs: readonly EncodedPair[], batchSize: number, padId: number, reference?: Float32Array): PairBatch[] {
  const out: PairBatch[] = [];
  for (let i = 0; i < pairs.length; i += batchSize) {
    out.push(toPairBatch(pairs, [...Array(Math.min(batchSize, pairs.length - i)).keys()].map((k) => i + k), padId, reference));
  }
  return out;
}

/**
 * Pairs in a fresh shuffled order every epoch; the position (pairs served so far) is the
 * checkpointed state, and the order of epoch e depends only on (seed, e).
 */
export class PairSource implements BatchSource<PairBatch> {
  private served = 0;
  private epoch = -1;
  private order: number[] = [];
  constructor(private readonly pairs: readonly EncodedPair[], private readonly batchSize: number, private readonly padId: number, private readonly seed: number, private readonly reference?: Float32Array) {}

  next(): PairBatch {
    const idx: number[] = [];
    for (let i = 0; i < this.batchSize; i++) idx.push(this.at(this.served++));
    return toPairBatch(this.pairs, idx, this.padId, this.reference);
  }

  private at(k: number): number {
    const N = this.pairs.length;
    const e = Math.floor(k / N);
    if (e !== this.epoch) {
      const rng = new Rng(seedFrom(`${this.seed}:epoch:${e}`));
      this.order = [...Array(N).keys()];
      for (let i = N - 1; i > 0; i--) { const j = rng.int(i + 1); [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!]; }
      this.epoch = e;
    }
    return this.order[k % N]!;
  }

  get state(): unknown { return this.served; }
  set state(s: unknown) { this.served = Number(s) || 0; }
}
