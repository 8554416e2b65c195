/**
 * Sampler math: log-uniform bounds, int lattices, grid coverage, seeded determinism, and TPE
 * finding the good region of toy objectives faster than random search.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gamma, gridSize, sampleParams, splitTrials, type SamplerInput } from '../../../src/sweep/samplers.js';
import { gridPoints, samplePrior } from '../../../src/sweep/space.js';
import { buildMixture, erf, mixtureLogPdf } from '../../../src/sweep/parzen.js';
import type { ParameterSpec, Params, Trial } from '../../../src/sweep/types.js';
import { Rng } from '../../../src/util/random.js';

const lr: ParameterSpec = { type: 'float', low: 1e-4, high: 1e-1, log: true, points: 4 };
const width: ParameterSpec = { type: 'int', low: 16, high: 128, log: false, step: 16, points: 3 };

test('log-uniform draws stay in bounds and are uniform in log space (median at the geometric mean)', () => {
  const u = new Rng(7).uniform();
  const xs = Array.from({ length: 4000 }, () => samplePrior(lr, u) as number);
  assert.ok(xs.every((x) => x >= 1e-4 && x <= 1e-1));
  const below = xs.filter((x) => x < Math.sqrt(1e-4 * 1e-1)).length / xs.length;
  assert.ok(Math.abs(below - 0.5) < 0.04, `share below the geometric mean: ${below}`);
  const decade = xs.filter((x) => x < 1e-3).length / xs.length; // one of three decades
  assert.ok(Math.abs(decade - 1 / 3) < 0.04, `share in the first decade: ${decade}`);
});

test('int draws fall on the step lattice, every value reachable', () => {
  const u = new Rng(3).uniform();
  const seen = new Set(Array.from({ length: 2000 }, () => samplePrior(width, u) as number));
  assert.deepEqual([...seen].sort((a, b) => a - b), [16, 32, 48, 64, 80, 96, 112, 128]);
});

test('grid covers every combination exactly once, floats at `points` log-spaced values', () => {
  const space: Record<string, ParameterSpec> = { a: lr, b: { type: 'categorical', values: ['x', 'y', 'z'] } };
  assert.equal(gridSize(space), 12);
  assert.deepEqual([...new Set(gridPoints(space).map((p) => p.a))], [1e-4, 1e-3, 0.01, 0.1].map((v) => gridPoints(space).map((p) => p.a as number).find((x) => Math.abs(x / v - 1) < 1e-9)));
  const trials: Trial[] = [];
  for (let i = 0; i < 12; i++) trials.push(trial(i, sampleParams({ method: 'grid', space, trials, direction: 'minimize', seed: 1 }), 'complete', i));
  assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, 12);
  // An int range with more values than `points` takes `points` of them, ends included.
  assert.deepEqual(gridPoints({ w: width }).map((p) => p.w), [16, 80, 128]);
});

test('the same seed and history give the same params; another seed other params', () => {
  const space = { lr, width };
  const history = [trial(0, { lr: 0.01, width: 32 }, 'complete', 1), trial(1, { lr: 0.001, width: 64 }, 'complete', 2)];
  const input: SamplerInput = { method: 'tpe', space, trials: history, direction: 'minimize', seed: 42, tpe: { startup_trials: 1, candidates: 24 } };
  assert.deepEqual(sampleParams(input), sampleParams({ ...input, trials: [...history] }));
  assert.notDeepEqual(sampleParams(input), sampleParams({ ...input, seed: 43 }));
  assert.notDeepEqual(sampleParams({ ...input, method: 'random' }), sampleParams({ ...input, method: 'random', trials: [...history, history[0]!] }));
});

test('γ(n) and the split: best ⌈n/10⌉ below, pruned ones after complete ones, running ones above', () => {
  assert.deepEqual([1, 10, 11, 300].map(gamma), [1, 1, 2, 25]);
  const ts = [trial(0, {}, 'complete', 3), trial(1, {}, 'complete', 1), trial(2, {}, 'pruned'), trial(3, {}, 'running')];
  const { below, above } = splitTrials(ts, 'minimize');
  assert.deepEqual(below.map((t) => t.number), [1]);
  assert.deepEqual(above.map((t) => t.number), [0, 2, 3]);
  assert.deepEqual(splitTrials(ts, 'maximize').below.map((t) => t.number), [0]);
});

test('the Parzen estimator is a density on its bounds and peaks at its observations', () => {
  assert.ok(Math.abs(erf(0.5) - 0.5204998778) < 1e-6);
  const m = buildMixture([0.2, 0.25], 0, 1);
  let mass = 0;
  for (let i = 0; i < 1000; i++) mass += Math.exp(mixtureLogPdf(m, (i + 0.5) / 1000)) / 1000;
  assert.ok(Math.abs(mass - 1) < 0.01, `mass ${mass}`);
  assert.ok(mixtureLogPdf(m, 0.22) > mixtureLogPdf(m, 0.8));
});

/** Runs `n` sequential trials of a sampler on `f` and returns them. */
function optimise(method: 'tpe' | 'random', space: Record<string, ParameterSpec>, f: (p: Params) => number, n: number, seed: number): Trial[] {
  const trials: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampleParams({ method, space, trials, direction: 'minimize', seed, tpe: { startup_trials: 8, candidates: 24 } });
    trials.push(trial(i, params, 'complete', f(params)));
  }
  return trials;
}

test('TPE concentrates on the good region of a toy objective, random search does not', () => {
  const space = { lr, width, act: { type: 'categorical', values: ['relu', 'gelu', 'tanh'] } as ParameterSpec };
  // Best at lr = 10^-2.5, width 96, gelu.
  const f = (p: Params) => (Math.log10(p.lr as number) + 2.5) ** 2 + ((p.width as number) - 96) ** 2 / 2000 + (p.act === 'gelu' ? 0 : 0.5);
  let tpeWins = 0;
  let gelu = 0;
  for (const seed of [1, 2, 3, 4, 5]) {
    const late = (ts: Trial[]) => ts.slice(20).reduce((a, t) => a + t.value!, 0) / (ts.length - 20);
    const tpe = optimise('tpe', space, f, 50, seed);
    const rnd = optimise('random', space, f, 50, seed);
    if (late(tpe) < late(rnd)) tpeWins += 1;
    gelu += tpe.slice(20).filter((t) => t.params.act === 'gelu').length;
  }
  assert.ok(tpeWins >= 4, `TPE's later trials beat random search's on ${tpeWins} of 5 seeds`);
  // Later TPE trials pick the good choice far more often than a third of the time.
  assert.ok(gelu > 0.5 * 5 * 30, `gelu in ${gelu} of 150 later trials`);
});

function trial(number: number, params: Params, status: Trial['status'], value?: number): Trial {
  return { number, params, status, value, intermediate: status === 'pruned' ? { 10: 5 } : {}, runIds: [], durationMs: 0 };
}
