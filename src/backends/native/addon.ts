/**
 * @fileoverview Finds and loads the compiled addon (native/build/Release/trainyard_native.node,
 * built by `node native/build.mjs`). Every kernel takes the wasm heap ArrayBuffer first and
 * byte offsets into it, so no tensor data is copied between JS, wasm and C++.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { errors } from '../../errors/index.js';

/** Op names of `unary` (native/src/common.h TY_UNARY_OPS). */
export type UnaryOpName = 'exp' | 'erf' | 'tanh' | 'neg' | 'sqrt' | 'rsqrt' | 'square' | 'log' | 'relu' | 'sigmoid' | 'abs' | 'reciprocal';
/** Op names of `binary` (TY_BINARY_OPS). */
export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'squaredDifference' | 'maximum' | 'minimum' | 'pow';
/** Op names of `reduce` (TY_REDUCE_OPS). */
export type ReduceOpName = 'sum' | 'max' | 'mean';

/** The addon's op codes by name (`exports.ops`, built from the C++ enums; frozen). */
export interface NativeOps {
  unary: Readonly<Record<UnaryOpName, number>>;
  binary: Readonly<Record<BinaryOpName, number>>;
  reduce: Readonly<Record<ReduceOpName, number>>;
}

/**
 * The functions exported by native/src/*.cc (see the comments there for argument order).
 * `unary`/`binary`/`reduce` take a code from `ops` and throw a TypeError for any other.
 */
export interface NativeAddon {
  ops: NativeOps;
  setThreads(threads: number, blasThreads: number): void;
  info(): { threads: number; blasThreads: number; blasConfig: string; ompMaxThreads: number };
  batchMatMul(heap: ArrayBuffer, a: number, b: number, c: number, batchA: number, batchB: number,
    m: number, n: number, k: number, transA: boolean, transB: boolean): void;
  unary(heap: ArrayBuffer, op: number, x: number, y: number, n: number): void;
  binary(heap: ArrayBuffer, op: number, a: number, b: number, y: number, geom: Int32Array): void;
  reduce(heap: ArrayBuffer, op: number, x: number, y: number, outer: number, red: number, inner: number): void;
  layerNorm(heap: ArrayBuffer, x: number, gamma: number, beta: number, y: number, rows: number, c: number, eps: number): void;
  layerNormGrad(heap: ArrayBuffer, dy: number, x: number, gamma: number, dx: number, dgamma: number, dbeta: number,
    rows: number, c: number, eps: number): void;
  gelu(heap: ArrayBuffer, x: number, y: number, n: number): void;
  geluGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, n: number): void;
  softmax(heap: ArrayBuffer, x: number, y: number, rows: number, v: number): void;
  softmaxCrossEntropy(heap: ArrayBuffer, logits: number, labels: number, loss: number, rows: number, v: number): void;
  softmaxCrossEntropyGrad(heap: ArrayBuffer, dloss: number, logits: number, labels: number, dlogits: number,
    rows: number, v: number): void;
  adamw(heap: ArrayBuffer, p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number,
    n: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number): void;
  copy2d(heap: ArrayBuffer, src: number, dst: number, rows: number, rowBytes: number, srcStride: number, dstStride: number): void;
}

/**
 * Absolute path of the compiled addon (it may not exist). src/backends/native/ and
 * dist/backends/native/ are equally deep, so this resolves from tsx and compiled runs alike.
 */
const ADDON_PATH = fileURLToPath(new URL('../../../native/build/Release/trainyard_native.node', import.meta.url));

let cached: NativeAddon | undefined;
let loadError: Error | undefined;

/** True when the addon file exists (cheap: no load). */
export function addonBuilt(): boolean {
  return existsSync(ADDON_PATH);
}

/**
 * Loads the addon once and applies the thread setting.
 * Threads: `TRAINYARD_NATIVE_THREADS` (element-wise kernels) and `TRAINYARD_BLAS_THREADS`
 * (sgemm), each defaulting to the machine's available parallelism.
 * @throws the dlopen error (missing libopenblas, ABI mismatch) when the addon cannot load.
 */
export function loadAddon(): NativeAddon {
  if (cached) return cached;
  if (loadError) throw loadError;
  // Idle OpenMP workers sleep instead of spinning: on a shared or busy machine spinning
  // workers made a training step ~7x slower (measured). Read by libgomp when it loads.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  try {
    cached = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
  } catch (err) {
    loadError = err instanceof Error ? err : new Error(String(err));
    throw loadError;
  }
  const cores = availableParallelism();
  const threads = Number(process.env.TRAINYARD_NATIVE_THREADS ?? cores) || cores;
  const blas = Number(process.env.TRAINYARD_BLAS_THREADS ?? threads) || threads;
  cached.setThreads(threads, blas);
  return cached;
}

/**
 * The addon's code for op `name` of `kind`.
 * @throws when the addon has no such op (an addon older than this file: rebuild it).
 */
export function opCode<K extends keyof NativeOps>(addon: NativeAddon, kind: K, name: keyof NativeOps[K] & string): number {
  const code = (addon.ops?.[kind] as Record<string, number> | undefined)?.[name];
  if (typeof code !== 'number') throw errors.nativeAddonStale({ kind, op: name });
  return code;
}

/**
 * Sets the worker threads of the element-wise kernels and of BLAS. Trainyard's kernels give
 * bit-identical results for any `threads` (fixed partitioning and reduction order); OpenBLAS's
 * sgemm is deterministic for a fixed `blasThreads` only (its blocking depends on it), so a
 * deterministic run fixes `blasThreads` (e.g. TRAINYARD_BLAS_THREADS=1).
 */
export function setNativeThreads(threads: number, blasThreads: number = threads): void {
  loadAddon().setThreads(threads, blasThreads);
}
