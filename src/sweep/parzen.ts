/**
 * @fileoverview Optuna's univariate Parzen estimator (optuna/samplers/_tpe/parzen_estimator.py):
 * a mixture of Gaussians truncated to the parameter's bounds, one at each observation plus a
 * wide prior at the centre, with bandwidths from the gaps to the neighbouring observations
 * ("magic clip": never narrower than range / min(100, 1 + n)). Categorical parameters get
 * smoothed counts instead.
 */

/** erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7: plenty for ranking candidates). */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const normCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** A truncated-Gaussian mixture on [low, high]. */
export interface Mixture { mus: number[]; sigmas: number[]; weights: number[]; low: number; high: number }

/** Weight of the prior component (Optuna's prior_weight). */
const PRIOR_WEIGHT = 1;

/** Builds the estimator from observations on the internal scale. */
export function buildMixture(obs: readonly number[], low: number, high: number): Mixture {
  const range = high - low;
  const prior = low + range / 2;
  const mus = [...obs, prior];
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]!);
  const sigmas = new Array<number>(mus.length).fill(range);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (i === mus.length - 1) continue; // the prior keeps the full range
    const left = k > 0 ? mus[i]! - mus[order[k - 1]!]! : mus[i]! - low;
    const right = k < order.length - 1 ? mus[order[k + 1]!]! - mus[i]! : high - mus[i]!;
    sigmas[i] = Math.max(left, right);
  }
  const minSigma = range / Math.min(100, 1 + obs.length);
  for (let i = 0; i < sigmas.length; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]!));
  const weights = [...obs.map(() => 1), PRIOR_WEIGHT];
  const total = weights.reduce((a, b) => a + b, 0);
  return { mus, sigmas, weights: weights.map((w) => w / total), low, high };
}

/** One draw: pick a component by weight, then its Gaussian truncated to the bounds (by rejection, clamped after 100 tries). */
export function sampleMixture(m: Mixture, u: () => number): number {
  const k = pick(m.weights, u());
  const mu = m.mus[k]!, sigma = m.sigmas[k]!;
  for (let tries = 0; tries < 100; tries++) {
    const x = mu + sigma * gaussian(u);
    if (x >= m.low && x <= m.high) return x;
  }
  return Math.min(m.high, Math.max(m.low, mu));
}

/** log density of the mixture at x. */
export function mixtureLogPdf(m: Mixture, x: number): number {
  let p = 0;
  for (let k = 0; k < m.mus.length; k++) {
    const mu = m.mus[k]!, sigma = m.sigmas[k]!;
    const z = (x - mu) / sigma;
    const mass = Math.max(1e-12, normCdf((m.high - mu) / sigma) - normCdf((m.low - mu) / sigma));
    p += m.weights[k]! * Math.exp(-0.5 * z * z - LOG_SQRT_2PI) / (sigma * mass);
  }
  return Math.log(Math.max(p, 1e-300));
}

/** Category probabilities: counts of the observed indices plus the prior spread evenly. */
export function categoricalWeights(obs: readonly number[], n: number): number[] {
  const w = new Array<number>(n).fill(PRIOR_WEIGHT / n);
  for (const i of obs) w[i]! += 1;
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** Index drawn with probability proportional to `weights` (which sum to 1), for uniform `r`. */
export function pick(weights: readonly number[], r: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (r < acc) return i;
  }
  return weights.length - 1;
}

function gaussian(u: () => number): number {
  const a = 1 - u();
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
}
