/**
 * @fileoverview Shared setup for the backend conformance tests (native, and the cuda backends
 * that reuse these suites): loads a backend through setupBackend, so its capabilities are
 * recorded (or says why the tests are skipped), and runs a function on that backend and on
 * `cpu` with the same inputs, returning the outputs from both.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolveBackend, setupBackend } from '../../../../src/backends/index.js';
import { NATIVE_INSTALL_HINT } from '../../../../src/backends/native/index.js';
import { addonBuilt, loadAddon } from '../../../../src/backends/native/addon.js';

/** Why the native tests are skipped, or false when the addon loaded. */
export async function nativeSkipReason(): Promise<string | false> {
  if (!addonBuilt()) return `native addon not built (${NATIVE_INSTALL_HINT})`;
  try {
    loadAddon();
  } catch (err) {
    return `native addon does not load: ${(err as Error).message}`;
  }
  await setupBackend('native');
  return false;
}

/**
 * The cuda backends the shared suites also run on: `cuda-emulated` (the host-emulation addon,
 * everywhere g++ built it) and `cuda` (the GPU addon, where a GPU is present).
 */
export const CUDA_BACKENDS = ['cuda-emulated', 'cuda'] as const;

/** Why the tests of backend `name` are skipped, or false once it is set up. */
export async function backendSkipReason(name: string): Promise<string | false> {
  if (name === 'native') return nativeSkipReason();
  try {
    await resolveBackend(name);
    await setupBackend(name);
    return false;
  } catch (err) {
    return `${name} backend unavailable: ${(err as Error).message}`;
  }
}

/** Deterministic pseudo-random floats in [lo, hi). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = lo + ((s % 1_000_003) / 1_000_003) * (hi - lo);
  }
  return out;
}

export interface Input { shape: number[]; data: Float32Array | Int32Array; dtype?: 'float32' | 'int32' }

export function rand(shape: number[], seed: number, lo = -1, hi = 1): Input {
  return { shape, data: randomArray(shape.reduce((a, b) => a * b, 1), seed, lo, hi) };
}

/** Output values of fn on one backend. */
async function runOn(backend: string, fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], inputs: Input[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape, i.dtype ?? 'float32'));
    const ys = fn(...xs);
    return (Array.isArray(ys) ? ys : [ys]).map((y) => Float32Array.from(y.dataSync()));
  });
}

/** Max |a-b| / (1 + |b|) over all outputs and gradients. */
export function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((arr, k) => {
    const ref = b[k]!;
    if (arr.length !== ref.length) throw new Error(`output ${k}: length ${arr.length} vs ${ref.length}`);
    for (let i = 0; i < arr.length; i++) worst = Math.max(worst, Math.abs(arr[i]! - ref[i]!) / (1 + Math.abs(ref[i]!)));
  });
  return worst;
}

/**
 * Runs fn on `backend` (default native) and cpu; returns the worst relative difference and both results.
 * (Gradients of built-in ops are compositions of forward kernels, which this covers; the fused
 * kernels' gradients are checked against float64 references in fused.test.ts.)
 */
export async function compareWithCpu(fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], inputs: Input[], backend = 'native') {
  const native = await runOn(backend, fn, inputs);
  const cpu = await runOn('cpu', fn, inputs);
  return { diff: maxRelDiff(native, cpu), native, cpu };
}
