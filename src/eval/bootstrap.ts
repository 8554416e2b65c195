/**
 * @fileoverview Bootstrap standard errors (lm-eval `bootstrap_stderr`): resample the
 * evaluation units (documents, windows, task items) with replacement, recompute the statistic,
 * and take the standard deviation over resamples. Seeded, so reruns agree.
 *
 *   const se = bootstrapStderr(values.length, (w) => weightedMean(values, w), { iters: 1000, seed: 1 });
 */
import { Rng } from '../util/random.js';

export interface BootstrapOptions {
  /** Resamples. @default 1000 */
  iters?: number;
  /** PRNG seed. @default 1234 */
  seed?: number;
}

/** Yields `iters` resamples of `n` units as draw counts per unit (the same array, refilled). */
export function* resamples(n: number, o: BootstrapOptions = {}): Generator<Uint32Array> {
  const rng = new Rng(o.seed ?? 1234);
  const w = new Uint32Array(n);
  for (let it = 0; it < (o.iters ?? 1000); it++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[Math.floor(rng.next() * n)]!++;
    yield w;
  }
}

/** Sample standard deviation of the finite values (0 for fewer than two). */
export function stddev(xs: number[]): number {
  const v = xs.filter(Number.isFinite);
  if (v.length < 2) return 0;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/**
 * Standard error of `stat` under resampling of `n` units. `stat` receives how many times each
 * unit was drawn (a weight vector) and returns the statistic of that resample.
 * Returns 0 for fewer than two units.
 */
export function bootstrapStderr(n: number, stat: (weights: Uint32Array) => number, o: BootstrapOptions = {}): number {
  if (n < 2) return 0;
  const values: number[] = [];
  for (const w of resamples(n, o)) values.push(stat(w));
  return stddev(values);
}

/** Σ w_i·num_i / Σ w_i·den_i (a resampled ratio of sums, e.g. NLL over bytes). */
export function weightedRatio(num: ArrayLike<number>, den: ArrayLike<number>, w: Uint32Array): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < w.length; i++) {
    const k = w[i]!;
    if (k === 0) continue;
    a += k * num[i]!;
    b += k * den[i]!;
  }
  return a / b;
}

/** Bootstrap standard error of a plain mean of per-item values. */
export function meanStderr(values: ArrayLike<number>, o: BootstrapOptions = {}): number {
  const ones = new Float64Array(values.length).fill(1);
  return bootstrapStderr(values.length, (w) => weightedRatio(values, ones, w), o);
}

/** Arithmetic mean (0 for none). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : 0;
}
