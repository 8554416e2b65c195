/**
 * @fileoverview The fused kernels (LayerNorm, GELU, softmax + cross-entropy, AdamW): native
 * forward and gradients against float64 references (themselves checked by finite
 * differences), the TF.js fallbacks on `cpu` against the same references, bit-identical
 * results across thread counts, and a flat tensor count over many training steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { adamwStep, gelu, layerNorm, setNativeThreads, softmaxCrossEntropy } from '../../../plugins/native-backend/index.js';
import { nativeSkipReason, randomArray } from './harness.js';
import { adamwRef, crossEntropyRef, geluGradRef, geluRef, layerNormGradRef, layerNormRef, maxAbsDiff } from './reference.js';

const skip = await nativeSkipReason();
const TOL = 1e-4;
const [ROWS, C, V] = [24, 48, 37];
const x = randomArray(ROWS * C, 1, -2, 2), gamma = randomArray(C, 2, 0.5, 1.5), beta = randomArray(C, 3);
const dy = randomArray(ROWS * C, 4);
const logits = randomArray(ROWS * V, 5, -4, 4);
const labels = Int32Array.from({ length: ROWS }, (_, i) => (i === 3 ? -1 : (i * 7) % V));
const dloss = randomArray(ROWS, 6);

test('float64 references agree with finite differences', () => {
  const h = 1e-6, xs = Array.from(x.slice(0, 2 * C)), dys = Array.from(dy.slice(0, 2 * C));
  const f = (xx: number[]) => layerNormRef(xx, gamma, beta, C, 1e-5).reduce((s, y, i) => s + y * dys[i]!, 0);
  const [dx] = layerNormGradRef(dys, xs, gamma, C, 1e-5);
  for (const i of [0, 5, 70]) {
    const xp = xs.slice(), xm = xs.slice();
    xp[i]! += h; xm[i]! -= h;
    assert.ok(Math.abs((f(xp) - f(xm)) / (2 * h) - dx![i]!) < 1e-5);
  }
  for (const v of [-2, -0.3, 0.7, 3]) assert.ok(Math.abs((geluRef(v + h) - geluRef(v - h)) / (2 * h) - geluGradRef(v)) < 1e-6);
});

for (const backend of ['native', 'cpu']) {
  const when = backend === 'native' ? skip : false;
  test(`${backend}: layerNorm forward${backend === 'native' ? ' and gradients' : ''} match the reference`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const [xt, gt, bt] = [tf.tensor(x, [2, ROWS / 2, C]), tf.tensor(gamma), tf.tensor(beta)];
    const y = layerNorm(xt, gt, bt, 1e-5);
    assert.ok(maxAbsDiff(y.dataSync(), layerNormRef(x, gamma, beta, C, 1e-5)) < TOL);
    if (backend === 'native') {
      const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNorm(a, g, b, 1e-5))([xt, gt, bt], tf.tensor(dy, xt.shape));
      const ref = layerNormGradRef(dy, x, gamma, C, 1e-5);
      grads.forEach((g, i) => assert.ok(maxAbsDiff(g.dataSync(), ref[i]!) < TOL, `gradient ${i}`));
    }
  });

  test(`${backend}: gelu forward${backend === 'native' ? ' and gradient' : ''} match the reference`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const xt = tf.tensor(x, [ROWS, C]);
    assert.ok(maxAbsDiff(gelu(xt).dataSync(), Array.from(x, geluRef)) < TOL);
    if (backend === 'native') {
      const [dx] = tf.grads((a: tf.Tensor) => gelu(a))([xt], tf.tensor(dy, xt.shape));
      assert.ok(maxAbsDiff(dx!.dataSync(), Array.from(x, (v, i) => dy[i]! * geluGradRef(v))) < TOL);
    }
  });

  test(`${backend}: softmaxCrossEntropy forward${backend === 'native' ? ' and gradient' : ''} match the reference (label -1 ignored)`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const [zt, lt] = [tf.tensor(logits, [ROWS, V]), tf.tensor(labels, [ROWS], 'int32')];
    const ref = crossEntropyRef(logits, labels, V);
    const loss = softmaxCrossEntropy(zt, lt);
    assert.deepEqual(loss.shape, [ROWS]);
    assert.ok(maxAbsDiff(loss.dataSync(), ref.loss) < TOL);
    assert.ok(loss.dataSync()[3] === 0, 'ignored label has loss 0');
    if (backend === 'native') {
      const [dz] = tf.grads((z: tf.Tensor) => softmaxCrossEntropy(z, lt))([zt], tf.tensor(dloss));
      assert.ok(maxAbsDiff(dz!.dataSync(), ref.grad.map((g, i) => g * dloss[Math.floor(i / V)]!)) < TOL);
    }
  });

  test(`${backend}: adamwStep matches PyTorch AdamW over 3 steps`, { skip: when }, async () => {
    await tf.setBackend(backend);
    const n = 300, p0 = randomArray(n, 7);
    const [p, m, v] = [tf.variable(tf.tensor(p0)), tf.variable(tf.zeros([n])), tf.variable(tf.zeros([n]))];
    const ref = { p: Array.from(p0), m: new Array<number>(n).fill(0), v: new Array<number>(n).fill(0) };
    for (let step = 1; step <= 3; step++) {
      const g = randomArray(n, 10 + step);
      const o = { lr: 1e-2, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, step };
      tf.tidy(() => adamwStep(p, tf.tensor(g), m, v, o));
      adamwRef(ref.p, Array.from(g), ref.m, ref.v, o);
    }
    assert.ok(maxAbsDiff(p.dataSync(), ref.p) < 1e-5);
    assert.ok(maxAbsDiff(v.dataSync(), ref.v) < 1e-6);
    tf.dispose([p, m, v]);
  });
}

test('native: results are bit-identical with 1 and 2 kernel threads (BLAS threads fixed)', { skip }, async () => {
  await tf.setBackend('native');
  const run = () => tf.tidy(() => {
    const a = tf.tensor(randomArray(256 * 384, 1), [256, 384]), w = tf.tensor(randomArray(384 * 384, 2), [384, 384]);
    const h = layerNorm(tf.matMul(a, w), tf.ones([384]), tf.zeros([384]));
    const [dh] = tf.grads((t: tf.Tensor) => layerNorm(t, tf.ones([384]), tf.zeros([384])))([h], tf.tensor(randomArray(256 * 384, 3), [256, 384]));
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

test('native: a training loop keeps the tensor count flat and lowers the loss', { skip }, async () => {
  await tf.setBackend('native');
  const [rows, c] = [32, 16];
  const xt = tf.tensor(randomArray(rows * c, 1, -2, 2), [rows, c]);
  const lt = tf.tensor(Int32Array.from({ length: rows }, (_, i) => i % c), [rows], 'int32');
  const params = [tf.variable(tf.ones([c])), tf.variable(tf.zeros([c]))];
  const moments = params.flatMap((p) => [tf.variable(tf.zerosLike(p)), tf.variable(tf.zerosLike(p))]);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let step = 1; step <= 60; step++) {
    tf.tidy(() => {
      const f = (g: tf.Tensor, b: tf.Tensor) => softmaxCrossEntropy(gelu(layerNorm(xt, g, b)), lt);
      const grads = tf.grads(f)(params, tf.fill([rows], 1 / rows));
      if (step % 20 === 1) losses.push(tf.mean(f(params[0]!, params[1]!)).dataSync()[0]!);
      params.forEach((p, i) => adamwStep(p, grads[i]!, moments[2 * i]!, moments[2 * i + 1]!, { lr: 0.05, weightDecay: 0, step }));
    });
    counts.push(tf.memory().numTensors);
  }
  assert.equal(counts[59], counts[4], `tensor count grew: ${counts[4]} -> ${counts[59]}`);
  assert.ok(losses[losses.length - 1]! < losses[0]! - 0.1, `loss did not drop: ${losses.join(', ')}`);
});
