/**
 * @fileoverview The fused kernels (LayerNorm, GELU, softmax + cross-entropy, AdamW) through the
 * model's own entry points (src/model/ops.ts, src/train/adamw.ts): on `native` they run the
 * fused kernels, on `cpu` the TF.js fallbacks (`fallbacks`, `adamwUpdateTf`). Both are checked
 * against float64 references (themselves checked by finite differences), the fused kernels
 * against those same fallbacks on `native`, plus the kernels' own contracts (ignored labels),
 * bit-identical results across thread counts, and a flat tensor count over many steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setNativeThreads } from '../../../../src/backends/native/index.js';
import { TrainyardGelu, TrainyardLayerNorm, TrainyardSoftmaxCrossEntropy } from '../../../../src/model/kernel-names.js';
import { crossEntropyIds, fallbacks, gelu, hasFused, layerNorm } from '../../../../src/model/ops.js';
import { adamwUpdate, adamwUpdateTf } from '../../../../src/train/adamw.js';
import { backendSkipReason, CUDA_BACKENDS, nativeSkipReason, randomArray } from './harness.js';
import { adamwRef, crossEntropyRef, geluGradRef, geluRef, layerNormGradRef, layerNormRef, maxAbsDiff } from './reference.js';

type T = tf.Tensor;
const skip = await nativeSkipReason();
/** The backends with fused kernels (the cuda ones reuse these checks) and why each is skipped. */
const FUSED: Array<[string, string | false]> = [['native', skip]];
for (const b of CUDA_BACKENDS) FUSED.push([b, await backendSkipReason(b)]);
const skipOf = new Map(FUSED);
const TOL = 1e-4;
const EPS = 1e-5; // the model's LN_EPS
const [ROWS, C, V] = [24, 48, 37];
const x = randomArray(ROWS * C, 1, -2, 2), gamma = randomArray(C, 2, 0.5, 1.5), beta = randomArray(C, 3);
const dy = randomArray(ROWS * C, 4);
const logits = randomArray(ROWS * V, 5, -4, 4);
const labels = Int32Array.from({ length: ROWS }, (_, i) => (i * 7) % V);
const dloss = randomArray(ROWS, 6);
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const values = (ts: T[]) => ts.map((t) => Array.from(t.dataSync()));

test('float64 references agree with finite differences', () => {
  const h = 1e-6, xs = Array.from(x.slice(0, 2 * C)), dys = Array.from(dy.slice(0, 2 * C));
  const f = (xx: number[]) => layerNormRef(xx, gamma, beta, C, EPS).reduce((s, y, i) => s + y * dys[i]!, 0);
  const [dx] = layerNormGradRef(dys, xs, gamma, C, EPS);
  for (const i of [0, 5, 70]) {
    const xp = xs.slice(), xm = xs.slice();
    xp[i]! += h; xm[i]! -= h;
    assert.ok(Math.abs((f(xp) - f(xm)) / (2 * h) - dx![i]!) < 1e-5);
  }
  for (const v of [-2, -0.3, 0.7, 3]) assert.ok(Math.abs((geluRef(v + h) - geluRef(v - h)) / (2 * h) - geluGradRef(v)) < 1e-6);
});

// On native (and cuda) the model's ops run the fused kernels; on cpu they run the fallbacks.
for (const backend of [...skipOf.keys(), 'cpu']) {
  const when = skipOf.get(backend) ?? false;
  const path = backend === 'cpu' ? 'TF.js fallback' : 'fused kernel';

  test(`${backend}: the model's ops take the ${path}`, { skip: when }, async () => {
    await tf.setBackend(backend);
    for (const k of [TrainyardLayerNorm, TrainyardGelu, TrainyardSoftmaxCrossEntropy]) assert.equal(hasFused(k), backend !== 'cpu', k);
  });

  test(`${backend}: layerNorm (${path}) forward and gradients match the reference`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const [xt, gt, bt] = [tf.tensor(x, [ROWS, C]), tf.tensor(gamma), tf.tensor(beta)];
    assert.ok(maxAbsDiff(layerNorm(xt, gt, bt).dataSync(), layerNormRef(x, gamma, beta, C, EPS)) < TOL);
    const grads = tf.grads((a: T, g: T, b: T) => layerNorm(a, g, b))([xt, gt, bt], tf.tensor(dy, xt.shape));
    const ref = layerNormGradRef(dy, x, gamma, C, EPS);
    grads.forEach((g, i) => assert.ok(maxAbsDiff(g.dataSync(), ref[i]!) < TOL, `gradient ${i}`));
  });

  test(`${backend}: gelu (${path}) forward and gradient match the reference`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const xt = tf.tensor(x, [ROWS, C]);
    assert.ok(maxAbsDiff(gelu(xt).dataSync(), Array.from(x, geluRef)) < TOL);
    const [dx] = tf.grads((a: T) => gelu(a))([xt], tf.tensor(dy, xt.shape));
    assert.ok(maxAbsDiff(dx!.dataSync(), Array.from(x, (v, i) => dy[i]! * geluGradRef(v))) < TOL);
  });

  test(`${backend}: crossEntropyIds (${path}) mean loss and gradient match the reference`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const [zt, lt] = [tf.tensor(logits, [ROWS, V]), tf.tensor1d(labels, 'int32')];
    const ref = crossEntropyRef(logits, labels, V);
    const loss = crossEntropyIds(zt, lt);
    assert.deepEqual(loss.shape, []);
    assert.ok(Math.abs(loss.dataSync()[0]! - mean(ref.loss)) < TOL);
    const [dz] = tf.grads((z: T) => crossEntropyIds(z, lt))([zt], tf.scalar(2));
    assert.ok(maxAbsDiff(dz!.dataSync(), ref.grad.map((g) => (2 * g) / ROWS)) < TOL);
  });

  test(`${backend}: adamwUpdate (${path}) matches PyTorch AdamW over 3 steps`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const n = 300, p0 = randomArray(n, 7);
    const [p, m, v] = [tf.variable(tf.tensor(p0)), tf.variable(tf.zeros([n])), tf.variable(tf.zeros([n]))];
    const ref = { p: Array.from(p0), m: new Array<number>(n).fill(0), v: new Array<number>(n).fill(0) };
    const cfg = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
    for (let step = 1; step <= 3; step++) {
      const g = randomArray(n, 10 + step);
      tf.tidy(() => adamwUpdate(p, tf.tensor(g), m, v, 1e-2, cfg.weightDecay, step, cfg));
      adamwRef(ref.p, Array.from(g), ref.m, ref.v, { lr: 1e-2, beta1: cfg.beta1, beta2: cfg.beta2, epsilon: cfg.eps, weightDecay: cfg.weightDecay, step });
    }
    assert.ok(maxAbsDiff(p.dataSync(), ref.p) < 1e-5);
    assert.ok(maxAbsDiff(v.dataSync(), ref.v) < 1e-6);
    tf.dispose([p, m, v]);
  });
}

for (const [backend, when] of FUSED) {
test(`${backend}: each fused kernel matches the fallback the model uses elsewhere (forward and gradients)`, { skip: when }, async () => {
  await tf.setBackend(backend);
  const both = (f: (...xs: T[]) => T, g: (...xs: T[]) => T, xs: T[], seed: T) => tf.tidy(() => [
    [f(...xs), ...tf.grads(f)(xs, seed)],
    [g(...xs), ...tf.grads(g)(xs, seed)],
  ].map(values));
  const xt = tf.tensor(x, [ROWS, C]), dyt = tf.tensor(dy, [ROWS, C]);
  const lt = tf.tensor1d(labels, 'int32');
  const pairs: Array<[string, number[][][]]> = [
    ['layerNorm', both(layerNorm, fallbacks.layerNorm, [xt, tf.tensor(gamma), tf.tensor(beta)], dyt)],
    ['gelu', both(gelu, fallbacks.gelu, [xt], dyt)],
    ['crossEntropyIds', both((z) => crossEntropyIds(z!, lt), (z) => fallbacks.crossEntropyIds(z!, lt), [tf.tensor(logits, [ROWS, V])], tf.scalar(1))],
  ];
  for (const [name, [fused, fallback]] of pairs) {
    fused!.forEach((out, i) => assert.ok(maxAbsDiff(out, fallback![i]!) < TOL, `${name} output ${i}`));
  }
  const cfg = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
  const state = () => [tf.variable(tf.tensor(randomArray(300, 7))), tf.variable(tf.zeros([300])), tf.variable(tf.zeros([300]))] as const;
  const a = state(), b = state();
  for (let step = 1; step <= 3; step++) {
    const g = tf.tensor(randomArray(300, 10 + step));
    adamwUpdate(a[0], g, a[1], a[2], 1e-2, 0.1, step, cfg);
    adamwUpdateTf(b[0], g, b[1], b[2], 1e-2, 0.1, step, cfg);
    g.dispose();
  }
  a.forEach((t, i) => assert.ok(maxAbsDiff(t.dataSync(), b[i]!.dataSync()) < 1e-5, `adamw state ${i}`));
  tf.dispose([...a, ...b]);
});
}

for (const [backend, when] of FUSED) {
test(`${backend}: the per-row cross-entropy kernel ignores label -1 (loss and gradient 0)`, { skip: when }, async () => {
  await tf.setBackend(backend);
  const ignored = Int32Array.from(labels, (l, i) => (i === 3 ? -1 : l));
  const [zt, lt] = [tf.tensor(logits, [ROWS, V]), tf.tensor(ignored, [ROWS], 'int32')];
  const ref = crossEntropyRef(logits, ignored, V);
  const rows = (z: T) => tf.engine().runKernel(TrainyardSoftmaxCrossEntropy, { logits: z, labels: lt } as never, {}) as T;
  const loss = rows(zt);
  assert.deepEqual(loss.shape, [ROWS]);
  assert.ok(maxAbsDiff(loss.dataSync(), ref.loss) < TOL);
  assert.ok(loss.dataSync()[3] === 0, 'ignored label has loss 0');
  const [dz] = tf.grads(rows)([zt], tf.tensor(dloss));
  assert.ok(maxAbsDiff(dz!.dataSync(), ref.grad.map((g, i) => g * dloss[Math.floor(i / V)]!)) < TOL);
});
}

test('native: results are bit-identical with 1 and 2 kernel threads (BLAS threads fixed)', { skip }, async () => {
  await tf.setBackend('native');
  const run = () => tf.tidy(() => {
    const a = tf.tensor(randomArray(256 * 384, 1), [256, 384]), w = tf.tensor(randomArray(384 * 384, 2), [384, 384]);
    const h = layerNorm(tf.matMul(a, w), tf.ones([384]), tf.zeros([384]));
    const [dh] = tf.grads((t: T) => layerNorm(t, tf.ones([384]), tf.zeros([384])))([h], tf.tensor(randomArray(256 * 384, 3), [256, 384]));
    return [h, tf.sum(h, 0), dh!, tf.softmax(h)].map((t) => Array.from(t.dataSync()));
  });
  // OpenBLAS's sgemm changes its blocking with its thread count, so determinism holds for a
  // fixed BLAS thread count; Trainyard's own kernels are identical for any thread count.
  setNativeThreads(1, 2);
  const one = run();
  setNativeThreads(2, 2);
  const two = run();
  setNativeThreads(2, 2);
  assert.deepEqual(run()[0], two[0], 'two runs with the same settings differ');
  one.forEach((arr, i) => assert.deepEqual(arr, two[i], `output ${i} differs across thread counts`));
});

for (const [backend, when] of FUSED) {
test(`${backend}: a training loop keeps the tensor count flat and lowers the loss`, { skip: when }, async () => {
  await tf.setBackend(backend);
  const [rows, c] = [32, 16];
  const xt = tf.tensor(randomArray(rows * c, 1, -2, 2), [rows, c]);
  const lt = tf.tensor1d(Int32Array.from({ length: rows }, (_, i) => i % c), 'int32');
  const params = [tf.variable(tf.ones([c])), tf.variable(tf.zeros([c]))];
  const moments = params.flatMap((p) => [tf.variable(tf.zerosLike(p)), tf.variable(tf.zerosLike(p))]);
  const cfg = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
  const losses: number[] = [];
  const counts: number[] = [];
  for (let step = 1; step <= 60; step++) {
    tf.tidy(() => {
      const f = (g: T, b: T) => crossEntropyIds(gelu(layerNorm(xt, g, b)), lt);
      const grads = tf.grads(f)(params);
      if (step % 20 === 1) losses.push(f(params[0]!, params[1]!).dataSync()[0]!);
      params.forEach((p, i) => adamwUpdate(p, grads[i]!, moments[2 * i]!, moments[2 * i + 1]!, 0.05, 0, step, cfg));
    });
    counts.push(tf.memory().numTensors);
  }
  assert.equal(counts[59], counts[4], `tensor count grew: ${counts[4]} -> ${counts[59]}`);
  assert.ok(losses[losses.length - 1]! < losses[0]! - 0.1, `loss did not drop: ${losses.join(', ')}`);
});
}
