/**
 * @fileoverview Conformance of the native backend's C++ kernels against the `cpu` backend:
 * forward values on random inputs (tolerance 1e-4 relative), including every transpose/broadcast
 * variant that the built-in gradients of these ops produce; and the addon's op-code table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadAddon } from '../../../../src/backends/native/addon.js';
import { CASES } from './cases.js';
import { compareWithCpu, nativeSkipReason } from './harness.js';

const skip = await nativeSkipReason();
const TOL = 1e-4;

for (const c of CASES) {
  test(`native vs cpu: ${c.name}`, { skip }, async () => {
    const { diff } = await compareWithCpu(c.fn, c.inputs);
    assert.ok(diff < TOL, `${c.name}: max relative difference ${diff} >= ${TOL}`);
  });
}

test('native: int32 ops fall back on wasm kernels', { skip }, async () => {
  await tf.setBackend('native');
  const y = tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([10], [1], 'int32'));
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(Array.from(y.dataSync()), [11, 12, 13]);
  y.dispose();
});

test('native: a mismatched matmul still throws a shape error', { skip }, async () => {
  await tf.setBackend('native');
  assert.throws(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5])));
});

test('native addon: op codes come from the addon, and an unknown code throws instead of running an op', { skip }, () => {
  const addon = loadAddon();
  const heap = new ArrayBuffer(64);
  const x = new Float32Array(heap, 0, 4), y = new Float32Array(heap, 16, 4);
  x.set([2, 4, 0.5, -1]);
  addon.unary(heap, addon.ops.unary.reciprocal, 0, 16, 4);
  assert.deepEqual(Array.from(y), [0.5, 0.25, 2, -1]);
  y.fill(7);
  // One past the last code: this used to fall into the default branch and run the reciprocal.
  const pastUnary = Object.keys(addon.ops.unary).length;
  assert.throws(() => addon.unary(heap, pastUnary, 0, 16, 4), { name: 'TypeError', message: new RegExp(`unary: unknown op code ${pastUnary}`) });
  assert.deepEqual(Array.from(y), [7, 7, 7, 7], 'nothing was written');
  assert.throws(() => addon.binary(heap, Object.keys(addon.ops.binary).length, 0, 0, 16, new Int32Array([1, 4, 1, 1])), TypeError);
  assert.throws(() => addon.binary(heap, -1, 0, 0, 16, new Int32Array([1, 4, 1, 1])), TypeError);
  assert.throws(() => addon.reduce(heap, Object.keys(addon.ops.reduce).length, 0, 16, 1, 4, 1), TypeError);
  assert.ok(Object.isFrozen(addon.ops.unary), 'the op table is frozen');
});
