/**
 * @fileoverview Training data: nanoGPT's `get_batch` (random windows, with replacement) from a
 * seeded PRNG whose state is checkpointed, so a resumed run draws the same batches as an
 * uninterrupted one. Also picks the train/validation token arrays from a tokens artifact.
 */
import type { TokenArray, TokensMeta } from '../artifacts/tokens.js';
import { errors } from '../errors/index.js';
import { Rng } from '../util/random.js';
import type { BatchSource, TokenBatch } from './objective.js';

export interface Batch {
  /** Inputs, [B*T] row-major. */
  x: Int32Array;
  /** Targets (inputs shifted by one), [B*T]. */
  y: Int32Array;
}

/** Throws E_ARTIFACT (naming the split) when `data` cannot hold one window of `blockSize` + 1 tokens. */
export function checkSplitLength(data: TokenArray, blockSize: number, split: string): void {
  if (data.length < blockSize + 1) throw errors.splitTooShort({ split, tokens: data.length, blockSize });
}

/** Fills one batch of `b` windows of length `t` starting at random offsets; `split` names the data in errors. */
export function sampleBatch(data: TokenArray, b: number, t: number, rng: Rng, split = 'train'): Batch {
  checkSplitLength(data, t, split);
  const x = new Int32Array(b * t);
  const y = new Int32Array(b * t);
  for (let i = 0; i < b; i++) {
    const start = rng.int(data.length - t);
    for (let j = 0; j < t; j++) {
      x[i * t + j] = data[start + j]!;
      y[i * t + j] = data[start + j + 1]!;
    }
  }
  return { x, y };
}

/** A batch stream whose position is the PRNG state (saved in checkpoints). */
export class BatchSampler implements BatchSource<TokenBatch> {
  readonly rng: Rng;
  constructor(readonly data: TokenArray, readonly batchSize: number, readonly blockSize: number, seed: number) {
    this.rng = new Rng(seed);
  }
  next(): TokenBatch {
    return { ...sampleBatch(this.data, this.batchSize, this.blockSize, this.rng), rows: this.batchSize, cols: this.blockSize };
  }
  get state(): unknown { return this.rng.state; }
  set state(s: unknown) { this.rng.state = Number(s) >>> 0; }
}

/** `iters` batches drawn from a fresh PRNG seeded with `seed` (the same batches every call): loss estimates. */
export function* windowBatches(data: TokenArray, iters: number, batchSize: number, blockSize: number, seed: number, split = 'validation'): Generator<TokenBatch> {
  const rng = new Rng(seed);
  for (let i = 0; i < iters; i++) yield { ...sampleBatch(data, batchSize, blockSize, rng, split), rows: batchSize, cols: blockSize };
}

/** Split names to use; `fraction` is the validation share carved off the train split when needed. */
export interface SplitChoice { train: string; validation: string | null; fraction: number }

/**
 * `train` (or the first split) for training; `validation` if present, else the last 10% of
 * the training split (nanoGPT's char examples).
 */
export function chooseSplits(meta: TokensMeta): SplitChoice {
  const names = Object.keys(meta.splits);
  const train = names.includes('train') ? 'train' : names.includes('all') ? 'all' : names[0]!;
  const validation = names.includes('validation') ? 'validation' : null;
  return { train, validation, fraction: validation ? 0 : 0.1 };
}

/** Cuts the first (1 − fraction) for training and the rest for validation. */
export function holdOut(data: TokenArray, fraction: number): { train: TokenArray; val: TokenArray } {
  const n = Math.floor(data.length * (1 - fraction));
  return { train: data.subarray(0, n), val: data.subarray(n) };
}
