/**
 * @fileoverview The three samplers: grid (every combination, in a seeded shuffled order),
 * random (independent prior draws) and TPE, Optuna's default (optuna/samplers/_tpe/sampler.py):
 * after `startup_trials` random trials, finished trials split into the best γ(n) = min(⌈0.1·n⌉, 25)
 * ("below") and the rest ("above"); per parameter, `candidates` draws from the below density
 * l(x) and the one with the largest log l(x) − log g(x) wins. Pruned trials rank after complete
 * ones (deeper first, then by their last value) and running trials count as bad (Optuna's
 * constant liar), so concurrent trials spread out. Trial n draws from its own seeded stream.
 */
import { Rng, seedFrom } from '../util/random.js';
import { buildMixture, categoricalWeights, mixtureLogPdf, pick, sampleMixture } from './parzen.js';
import { fromInternal, gridPoints, numericScale, samplePrior, toInternal } from './space.js';
import type { Direction, ParameterSpec, Params, Trial } from './types.js';

export interface SamplerInput {
  method: 'tpe' | 'random' | 'grid';
  space: Record<string, ParameterSpec>;
  /** Trials so far (any status); the new one is number `trials.length`. */
  trials: readonly Trial[];
  direction: Direction;
  seed: number;
  tpe?: { startup_trials: number; candidates: number };
}

/** The number of trials in the grid. */
export function gridSize(space: Record<string, ParameterSpec>): number {
  return gridPoints(space).length;
}

/** The parameters of trial `trials.length`. */
export function sampleParams(s: SamplerInput): Params {
  const n = s.trials.length;
  const rng = new Rng(seedFrom(`${s.seed}:sweep:${n}`));
  const u = rng.uniform();
  if (s.method === 'grid') return gridOrder(s.space, s.seed)[n % gridSize(s.space)]!;
  const tpe = s.tpe ?? { startup_trials: 5, candidates: 24 };
  const finished = s.trials.filter((t) => t.status === 'complete' || t.status === 'pruned');
  if (s.method === 'random' || finished.length < tpe.startup_trials) {
    return Object.fromEntries(Object.entries(s.space).map(([k, p]) => [k, samplePrior(p, u)]));
  }
  const { below, above } = splitTrials(s.trials, s.direction);
  const out: Params = {};
  for (const [k, p] of Object.entries(s.space)) out[k] = sampleOne(p, below.map((t) => t.params[k]), above.map((t) => t.params[k]), tpe.candidates, u);
  return out;
}

/** The grid in a seeded random order, so that a budget smaller than the grid still spreads over it. */
function gridOrder(space: Record<string, ParameterSpec>, seed: number): Params[] {
  const pts = gridPoints(space);
  const rng = new Rng(seedFrom(`${seed}:grid`));
  for (let i = pts.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [pts[i], pts[j]] = [pts[j]!, pts[i]!];
  }
  return pts;
}

/** γ(n) = min(⌈0.1·n⌉, 25), Optuna's default_gamma. */
export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** The good (`below`) and bad (`above`) trials; running ones are bad (constant liar). */
export function splitTrials(trials: readonly Trial[], direction: Direction): { below: Trial[]; above: Trial[] } {
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = trials.filter((t) => t.status === 'complete' && t.value !== undefined).sort((a, b) => sign * (a.value! - b.value!));
  const pruned = trials.filter((t) => t.status === 'pruned').sort((a, b) => lastStep(b) - lastStep(a) || sign * (lastValue(a) - lastValue(b)));
  const ranked = [...complete, ...pruned];
  const nBelow = gamma(ranked.length);
  return { below: ranked.slice(0, nBelow), above: [...ranked.slice(nBelow), ...trials.filter((t) => t.status === 'running')] };
}

const lastStep = (t: Trial) => Math.max(-1, ...Object.keys(t.intermediate).map(Number));
const lastValue = (t: Trial) => t.intermediate[String(lastStep(t))] ?? Infinity;

/** One parameter by TPE: the candidate from l(x) with the best l(x)/g(x). */
function sampleOne(p: ParameterSpec, good: unknown[], bad: unknown[], candidates: number, u: () => number): unknown {
  if (p.type === 'categorical') {
    const index = (v: unknown) => p.values.findIndex((c) => JSON.stringify(c) === JSON.stringify(v));
    const l = categoricalWeights(good.map(index).filter((i) => i >= 0), p.values.length);
    const g = categoricalWeights(bad.map(index).filter((i) => i >= 0), p.values.length);
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < candidates; c++) {
      const i = pick(l, u());
      const score = Math.log(l[i]!) - Math.log(g[i]!);
      if (score > bestScore) { best = i; bestScore = score; }
    }
    return p.values[best];
  }
  const s = numericScale(p);
  const num = (xs: unknown[]) => xs.filter((x): x is number => typeof x === 'number').map((x) => toInternal(p, x));
  const l = buildMixture(num(good), s.low, s.high);
  const g = buildMixture(num(bad), s.low, s.high);
  let best = l.mus[0]!, bestScore = -Infinity;
  for (let c = 0; c < candidates; c++) {
    const x = sampleMixture(l, u);
    const score = mixtureLogPdf(l, x) - mixtureLogPdf(g, x);
    if (score > bestScore) { best = x; bestScore = score; }
  }
  return fromInternal(p, best);
}
