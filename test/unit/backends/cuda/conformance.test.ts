/**
 * @fileoverview The kernel conformance suite (../native/cases.ts, the native backend's cases)
 * on the cuda backends: `cuda-emulated` everywhere (the kernel sources compiled for the host),
 * `cuda` where a GPU is present. Each case also must run on the device, with no host fallback.
 * Plus the backend's own contracts: int32 math on the host fallback, memory returned to the
 * cache, unknown op codes rejected, shape errors kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../../../src/backends/cuda/backend.js';
import { CASES } from '../native/cases.js';
import { backendSkipReason, compareWithCpu, CUDA_BACKENDS } from '../native/harness.js';

const TOL = 1e-4;
const fallbacks = (name: string) => [...(tf.findBackend(name) as unknown as CudaBackend).fallbackCounts.values()].reduce((a, b) => a + b, 0);

for (const backend of CUDA_BACKENDS) {
  const skip = await backendSkipReason(backend);

  for (const c of CASES) {
    test(`${backend} vs cpu: ${c.name}`, { skip }, async () => {
      await tf.setBackend(backend);
      const before = fallbacks(backend);
      const { diff } = await compareWithCpu(c.fn, c.inputs, backend);
      assert.ok(diff < TOL, `${c.name}: max relative difference ${diff} >= ${TOL}`);
      assert.equal(fallbacks(backend), before, `${c.name} took the host fallback: ${JSON.stringify([...(tf.findBackend(backend) as unknown as CudaBackend).fallbackCounts])}`);
    });
  }

  test(`${backend}: int32 math runs on the host fallback, and is counted`, { skip }, async () => {
    await tf.setBackend(backend);
    const before = fallbacks(backend);
    const y = tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([10], [1], 'int32'));
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(Array.from(y.dataSync()), [11, 12, 13]);
    assert.equal(fallbacks(backend), before + 1);
    y.dispose();
  });

  test(`${backend}: disposed tensors go back to the caching allocator`, { skip }, async () => {
    await tf.setBackend(backend);
    const be = tf.findBackend(backend) as unknown as CudaBackend;
    const step = () => tf.tidy(() => tf.sum(tf.matMul(tf.ones([64, 32]), tf.ones([32, 48]))).dataSync());
    step();
    const m0 = be.addon.memory(), tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    const m1 = be.addon.memory();
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(m1.inUse, m0.inUse, 'bytes in use are flat');
    assert.equal(m1.deviceAllocs, m0.deviceAllocs, 'repeat steps are served from the cache');
    assert.ok(m1.cacheHits > m0.cacheHits);
  });

  test(`${backend}: a mismatched matmul still throws a shape error; unknown op codes throw`, { skip }, async () => {
    await tf.setBackend(backend);
    assert.throws(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5])));
    const addon = (tf.findBackend(backend) as unknown as CudaBackend).addon;
    const p = addon.alloc(16);
    try {
      assert.throws(() => addon.unary(Object.keys(addon.ops.unary).length, p, p, 4), { name: 'TypeError', message: /unary: unknown op code/ });
      assert.throws(() => addon.reduce(-1, p, p, 1, 4, 1), TypeError);
      assert.ok(Object.isFrozen(addon.ops.binary));
    } finally {
      addon.free(p);
    }
  });
}
