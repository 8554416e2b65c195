import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { getLr } from '../../../src/train/schedule.js';
import { AdamW, globalNormScale } from '../../../src/train/adamw.js';
import { nativeBackend } from '../../../src/backends/native/index.js';

test('getLr: nanoGPT warmup, cosine to min_lr, then flat', () => {
  const s = { lr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: 2000 };
  assert.equal(getLr(0, s), 1e-3 / 101);
  assert.equal(getLr(99, s), (1e-3 * 100) / 101);
  assert.ok(Math.abs(getLr(100, s) - 1e-3) < 1e-12);
  assert.ok(Math.abs(getLr(1050, s) - 5.5e-4) < 1e-12); // halfway: (lr + min_lr) / 2
  assert.ok(Math.abs(getLr(2000, s) - 1e-4) < 1e-12);
  assert.equal(getLr(5000, s), 1e-4);
});

test('AdamW: matches the PyTorch update; decays only >= 2-D parameters', async () => {
  await setupBackend('cpu');
  const params = new Map<string, tf.Variable>([['w', tf.variable(tf.tensor2d([[1, -2]]))], ['b', tf.variable(tf.tensor1d([0.5]))]]);
  const opt = new AdamW(params, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 });
  const lr = 0.01;
  const gW = [0.3, -0.1];
  const gB = [0.2];
  // Reference, two steps of torch.optim.AdamW by hand (float64).
  const ref = (p0: number[], g: number[], wd: number) => {
    let p = [...p0], m = p.map(() => 0), v = p.map(() => 0);
    for (let t = 1; t <= 2; t++) {
      p = p.map((x) => x * (1 - lr * wd));
      m = m.map((x, i) => 0.9 * x + 0.1 * g[i]!);
      v = v.map((x, i) => 0.99 * x + 0.01 * g[i]! ** 2);
      p = p.map((x, i) => x - (lr / (1 - 0.9 ** t)) * m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(1 - 0.99 ** t) + 1e-8));
    }
    return p;
  };
  for (let t = 0; t < 2; t++) {
    const grads = new Map<string, tf.Tensor>([['w', tf.tensor2d([gW])], ['b', tf.tensor1d(gB)]]);
    opt.step(params, grads, lr);
    tf.dispose([...grads.values()]);
  }
  const w = Array.from(params.get('w')!.dataSync());
  const b = Array.from(params.get('b')!.dataSync());
  ref([1, -2], gW, 0.1).forEach((x, i) => assert.ok(Math.abs(w[i]! - x) < 1e-6, `w[${i}] ${w[i]} vs ${x}`));
  assert.ok(Math.abs(b[0]! - ref([0.5], gB, 0)[0]!) < 1e-6);
  assert.ok(Math.abs(b[0]! - ref([0.5], gB, 0.1)[0]!) > 1e-6, 'bias must not be decayed');
  opt.dispose();
});

for (const backend of ['cpu', 'native']) {
  test(`globalNormScale (${backend}): the clip scale is max/norm only when above it, and AdamW applies it`, async (t) => {
    if (backend === 'native' && !(await nativeBackend.isAvailable())) return t.skip('native addon not built');
    await setupBackend(backend);
    const g = new Map([['a', tf.tensor1d([3, 0])], ['b', tf.tensor1d([4])]]);
    const { norm, scale } = globalNormScale(g, 1);
    assert.ok(Math.abs(norm - 5) < 1e-6);
    assert.ok(Math.abs(scale - 1 / (5 + 1e-6)) < 1e-9);
    const small = globalNormScale(new Map([['a', tf.tensor1d([0.3])]]), 1);
    assert.equal(small.scale, 1);
    assert.equal(globalNormScale(g, 0).scale, 1, 'clipping off');
    // One AdamW step with the scale equals one with pre-scaled gradients.
    const step = (grads: Map<string, tf.Tensor>, gradScale: number) => {
      const params = new Map([['a', tf.variable(tf.tensor1d([1, -1]))], ['b', tf.variable(tf.tensor1d([2]))]]);
      const opt = new AdamW(params, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 });
      opt.step(params, grads, 1e-2, gradScale);
      opt.step(params, grads, 1e-2, gradScale);
      const out = [...params.values()].flatMap((p) => Array.from(p.dataSync()));
      opt.dispose();
      return out;
    };
    const scaled = new Map([...g].map(([k, v]) => [k, tf.mul(v, scale)]));
    const a = step(g, scale), b = step(scaled, 1);
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-7, `param ${i}: ${x} vs ${b[i]}`));
    assert.ok(Math.abs(a[0]! - 1) > 1e-3, 'the step moved the parameter');
  });
}
