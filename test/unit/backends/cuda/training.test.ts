/**
 * @fileoverview GPT training on the cuda backends against `cpu`: the same model, data and seed
 * give the same losses and gradient norms step by step (the fused kernels on the device vs the
 * TF.js compositions on cpu), with no host fallback in a training step and a flat tensor count.
 * Then the `precision` setting: tf32/bf16 round the matmul inputs (checked against a cpu
 * matmul of rounded inputs), and fp32 is exact again afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../../src/backends/index.js';
import type { CudaBackend } from '../../../../src/backends/cuda/backend.js';
import { setCudaPrecision } from '../../../../src/backends/cuda/index.js';
import { GPT, initParams } from '../../../../src/model/gpt.js';
import { Trainer } from '../../../../src/train/trainer.js';
import { backendSkipReason, CUDA_BACKENDS, randomArray } from '../native/harness.js';
import { maxAbsDiff } from '../native/reference.js';

const config = { n_layer: 2, n_head: 2, n_embd: 32, block_size: 16, vocab_size: 48, dropout: 0 };
const data = Uint16Array.from({ length: 4000 }, (_, i) => (i * 31 + (i >> 2)) % 48);
const STEPS = 6;

/** Losses and gradient norms of STEPS training steps on `backend`, and the fallbacks taken after step 1. */
async function train(backend: string): Promise<{ losses: number[]; norms: number[]; tensors: number[] }> {
  await setupBackend(backend);
  const model = new GPT(config, initParams(config, 3));
  const trainer = new Trainer(model, data, {
    batchSize: 2, gradAccum: 1, gradClip: 1, seed: 7,
    schedule: { lr: 3e-3, minLr: 3e-4, warmupSteps: 2, decaySteps: 100 },
    adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  });
  const losses: number[] = [], norms: number[] = [], tensors: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const r = trainer.trainStep();
    losses.push(r.loss);
    norms.push(r.gradNorm);
    tensors.push(tf.memory().numTensors);
  }
  trainer.dispose();
  model.dispose();
  return { losses, norms, tensors };
}

for (const backend of CUDA_BACKENDS) {
  const skip = await backendSkipReason(backend);

  test(`${backend}: GPT training gives the cpu backend's losses, all on the device`, { skip, timeout: 120_000 }, async () => {
    const ref = await train('cpu');
    const be = tf.findBackend(backend) as unknown as CudaBackend;
    be.fallbackCounts.clear();
    const got = await train(backend);
    assert.deepEqual(Object.fromEntries(be.fallbackCounts), {}, 'a training step ran a kernel on the host');
    assert.ok(ref.losses[STEPS - 1]! < ref.losses[0]!, `the loss drops on cpu: ${ref.losses}`);
    assert.ok(maxAbsDiff(got.losses, ref.losses) < 1e-4, `losses ${got.losses} vs cpu ${ref.losses}`);
    assert.ok(maxAbsDiff(got.norms, ref.norms) < 1e-3, `grad norms ${got.norms} vs cpu ${ref.norms}`);
    assert.equal(got.tensors[STEPS - 1], got.tensors[1], `tensor count grew: ${got.tensors}`);
  });

  test(`${backend}: precision tf32/bf16 rounds matmul inputs; fp32 is exact`, { skip }, async () => {
    const [m, k, n] = [9, 40, 7];
    const a = randomArray(m * k, 21), b = randomArray(k * n, 22);
    /** Nearest-even rounding of float32 to `bits` mantissa bits (what tensor cores read). */
    const round = (x: Float32Array, bits: number) => {
      const u = new Uint32Array(Float32Array.from(x).buffer), drop = 23 - bits;
      for (let i = 0; i < u.length; i++) u[i] = (u[i]! + (1 << (drop - 1)) - 1 + ((u[i]! >>> drop) & 1)) & ~((1 << drop) - 1);
      return new Float32Array(u.buffer);
    };
    const mm = async (on: string, x: Float32Array, y: Float32Array) => {
      await tf.setBackend(on);
      return tf.tidy(() => tf.matMul(tf.tensor2d(x, [m, k]), tf.tensor2d(y, [k, n])).dataSync() as Float32Array);
    };
    const exact = await mm('cpu', a, b);
    try {
      for (const [precision, bits] of [['tf32', 10], ['bf16', 7]] as const) {
        setCudaPrecision(precision);
        const got = await mm(backend, a, b);
        if (backend === 'cuda-emulated') {
          // The emulation rounds exactly as documented: compare with a matmul of rounded inputs.
          const want = await mm('cpu', round(a, bits), round(b, bits));
          assert.ok(maxAbsDiff(got, want) < 1e-5, `${precision}: differs from a matmul of rounded inputs by ${maxAbsDiff(got, want)}`);
          assert.ok(maxAbsDiff(got, exact) > (bits === 7 ? 1e-3 : 1e-5), `${precision} changed nothing`);
        } else {
          // Tensor cores: within the input rounding's error bound.
          assert.ok(maxAbsDiff(got, exact) < (bits === 7 ? 5e-2 : 5e-3), `${precision}: off by ${maxAbsDiff(got, exact)}`);
        }
      }
    } finally {
      setCudaPrecision('fp32');
    }
    assert.ok(maxAbsDiff(await mm(backend, a, b), exact) < 1e-5, 'fp32 again after resetting');
  });
}
