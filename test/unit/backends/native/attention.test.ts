/**
 * @fileoverview The fused attention kernels (TrainyardAttention / TrainyardAttentionGrad,
 * native/src/attention.cc) against TF.js autodiff of the plain composition (split, heads,
 * scaled QKᵀ, additive mask, softmax, PV, merge) on the `cpu` backend: plain causal and packed
 * rows (segment ids, padding), forward and the gradient with respect to qkv; bit-identical for
 * 1 and 2 threads; and the model takes the fused path on native only where it applies (no KV
 * cache), with the same logits as the composition.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setNativeThreads } from '../../../../src/backends/native/index.js';
import { TrainyardAttention } from '../../../../src/model/kernel-names.js';
import { fusedAttention, hasFused, matmul, matmulNT } from '../../../../src/model/ops.js';
import { GPT, initParams } from '../../../../src/model/gpt.js';
import { backendSkipReason, CUDA_BACKENDS, nativeSkipReason, randomArray } from './harness.js';
import { maxAbsDiff } from './reference.js';

type T = tf.Tensor;
const skip = await nativeSkipReason();
/** Backends with the fused attention kernels (the cuda ones reuse these checks). */
const FUSED: Array<[string, string | false]> = [['native', skip]];
for (const b of CUDA_BACKENDS) FUSED.push([b, await backendSkipReason(b)]);

/** Causal (optionally block-diagonal) attention from qkv [B·T, 3C] with TF.js ops (and the
 *  model's matmuls, whose gradients the project registers). */
function composed(qkv: T, B: number, H: number, segment?: Int32Array): T {
  const [rows, c3] = qkv.shape as [number, number];
  const Tn = rows / B, C = c3 / 3, hs = C / H;
  const heads = (t: T) => tf.transpose(tf.reshape(t, [B, Tn, H, hs]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(qkv, 3, 1).map(heads) as [T, T, T];
  const m = new Float32Array(B * Tn * Tn);
  for (let b = 0; b < B; b++) for (let i = 0; i < Tn; i++) for (let j = 0; j < Tn; j++) {
    const ok = j <= i && (!segment || segment[b * Tn + i] === segment[b * Tn + j]);
    m[(b * Tn + i) * Tn + j] = ok ? 0 : -1e9;
  }
  const att = tf.add(matmulNT(tf.mul(q, 1 / Math.sqrt(hs)), k), tf.tensor4d(m, [B, 1, Tn, Tn]));
  return tf.reshape(tf.transpose(matmul(tf.softmax(att), v), [0, 2, 1, 3]), [B * Tn, C]);
}

const [B, Tn, H, C] = [3, 20, 4, 32];
const qkvData = randomArray(B * Tn * 3 * C, 11, -1.5, 1.5);
const wData = randomArray(B * Tn * C, 12);
// Row 0: one sample; row 1: three samples; row 2: two samples then padding (-1).
const segment = Int32Array.from({ length: B * Tn }, (_, i) => {
  const [b, t] = [Math.floor(i / Tn), i % Tn];
  return b === 0 ? 0 : b === 1 ? (t < 7 ? 0 : t < 15 ? 1 : 2) : (t < 9 ? 0 : t < 16 ? 1 : -1);
});

/** y and d(sum(y·w))/d(qkv) on the active backend. */
function run(fn: (qkv: T) => T): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const qkv = tf.tensor2d(qkvData, [B * Tn, 3 * C]), w = tf.tensor2d(wData, [B * Tn, C]);
    const y = fn(qkv);
    const g = tf.grad((x: T) => tf.sum(tf.mul(fn(x), w)))(qkv);
    return [y.dataSync() as Float32Array, g.dataSync() as Float32Array];
  });
}

for (const [backend, when] of FUSED) for (const packed of [false, true]) {
  const what = packed ? 'packed rows (segments, padding)' : 'plain causal';
  test(`${backend} fused attention, ${what}: forward and qkv gradient match TF.js autodiff of the composition`, { skip: when }, async () => {
    await tf.setBackend('cpu');
    const [yRef, gRef] = run((x) => composed(x, B, H, packed ? segment : undefined));
    await tf.setBackend(backend);
    assert.ok(hasFused(TrainyardAttention));
    const [y, g] = run((x) => fusedAttention(x, B, H, packed ? tf.tensor1d(segment, 'int32') : undefined));
    assert.ok(maxAbsDiff(y, yRef) < 1e-5, `forward differs by ${maxAbsDiff(y, yRef)}`);
    assert.ok(maxAbsDiff(g, gRef) < 1e-4, `gradient differs by ${maxAbsDiff(g, gRef)}`);
    // The gradient is not trivially zero anywhere it should not be: every q, k and v column moves.
    for (const part of [0, 1, 2]) {
      let mass = 0;
      for (let r = 0; r < B * Tn; r++) for (let c = 0; c < C; c++) mass += Math.abs(g[r * 3 * C + part * C + c]!);
      assert.ok(mass > 1e-3, `no gradient reaches the ${['q', 'k', 'v'][part]} columns`);
    }
  });
}

test('native fused attention: bit-identical for 1 and 2 threads', { skip }, async () => {
  await tf.setBackend('native');
  try {
    setNativeThreads(1, 1);
    const one = run((x) => fusedAttention(x, B, H, tf.tensor1d(segment, 'int32')));
    setNativeThreads(2, 2);
    const two = run((x) => fusedAttention(x, B, H, tf.tensor1d(segment, 'int32')));
    assert.deepEqual(two, one);
  } finally {
    setNativeThreads(2, 2);
  }
});

test('the model uses fused attention on native (not with a KV cache) and gives the logits of the composition', { skip }, async () => {
  await tf.setBackend('native');
  const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 12, vocab_size: 30, dropout: 0 };
  const model = new GPT(cfg, initParams(cfg, 5));
  const idx = tf.tensor2d(Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 30), [2, 12], 'int32');
  const count = (fn: () => void): number => {
    let n = 0;
    const kernel = tf.getKernel(TrainyardAttention, 'native')!;
    tf.unregisterKernel(TrainyardAttention, 'native');
    tf.registerKernel({ ...kernel, kernelFunc: (args) => { n++; return kernel.kernelFunc(args); } });
    try { fn(); } finally { tf.unregisterKernel(TrainyardAttention, 'native'); tf.registerKernel(kernel); }
    return n;
  };
  let fused!: Float32Array;
  assert.equal(count(() => { fused = tf.tidy(() => model.forward(idx).dataSync() as Float32Array); }), 2, 'one fused call per layer');
  // With a KV cache (generation) the composition runs.
  assert.equal(count(() => { tf.tidy(() => { model.forward(tf.slice(idx, [0, 0], [1, 12]), false, { k: [], v: [], length: 0 }); }); }), 0);
  // The composition on cpu gives the same logits.
  await tf.setBackend('cpu');
  const ref = tf.tidy(() => new GPT(cfg, initParams(cfg, 5)).forward(idx).dataSync() as Float32Array);
  assert.ok(maxAbsDiff(fused, ref) < 1e-4, `logits differ by ${maxAbsDiff(fused, ref)}`);
  await tf.setBackend('native');
});
