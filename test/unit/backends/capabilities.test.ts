/**
 * @fileoverview Backend capabilities: what the built-ins declare, and that setupBackend records
 * them for the model under the TF.js backend it activated (the model compares no names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { BUILTIN_BACKENDS } from '../../../src/backends/builtin.js';
import { nativeBackend } from '../../../src/backends/native/index.js';
import { backendCapabilities } from '../../../src/model/capabilities.js';
import { TrainyardLayerNorm } from '../../../src/model/kernel-names.js';
import { hasFused } from '../../../src/model/ops.js';

test('built-ins declare their capabilities: native fused ops and transpose flags, libtensorflow transpose flags', () => {
  const caps = Object.fromEntries(BUILTIN_BACKENDS.map((b) => [b.name, b.capabilities ?? {}]));
  assert.deepEqual(caps, {
    cpu: {}, wasm: {}, native: { fusedOps: true, transposeFlags: true },
    tensorflow: { transposeFlags: true }, 'tensorflow-gpu': { transposeFlags: true },
    cuda: { fusedOps: true, transposeFlags: true }, 'cuda-emulated': { fusedOps: true, transposeFlags: true },
  });
  assert.equal(BUILTIN_BACKENDS.filter((b) => b.name === 'native').length, 1, 'one native definition');
});

test('setupBackend records capabilities for the model; a plain tf.setBackend switch is seen', async () => {
  await setupBackend('wasm');
  assert.deepEqual(backendCapabilities('wasm'), {});
  assert.equal(hasFused(TrainyardLayerNorm), false);
  if (!(await nativeBackend.isAvailable())) return;
  await setupBackend('native');
  assert.deepEqual(backendCapabilities(tf.getBackend()), { fusedOps: true, transposeFlags: true });
  assert.equal(hasFused(TrainyardLayerNorm), true);
  await tf.setBackend('wasm');
  assert.equal(hasFused(TrainyardLayerNorm), false, 'wasm has no fused kernels');
});
