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
/**
 * The GEMM behind BatchMatMul: our own kernels (native/src/gemm.cc) by instruction set, or
 * OpenBLAS when the addon was built with it. `auto`: ours when the CPU has AVX-512 (faster
 * than OpenBLAS's AVX2 kernels, measured), else OpenBLAS when linked in, else ours.
 */
export type GemmChoice = 'auto' | 'openblas' | 'avx512' | 'avx2' | 'generic';
export const GEMM_CHOICES: readonly GemmChoice[] = ['auto', 'openblas', 'avx512', 'avx2', 'generic'];

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
  /** `gemm`: the GEMM in use ("openblas" or our kernel: "avx512", "avx2", "generic");
   *  `gemmBest`: our best kernel on this CPU; `blasConfig`: OpenBLAS's build ("" when the
   *  addon was built without it). */
  info(): { threads: number; blasThreads: number; blasConfig: string; gemm: string; gemmBest: string; ompMaxThreads: number };
  /** Chooses the GEMM (see GemmChoice); false when this build or CPU cannot run it. */
  setGemm(name: GemmChoice): boolean;
  batchMatMul(heap: ArrayBuffer, a: number, b: number, c: number, batchA: number, batchB: number,
    m: number, n: number, k: number, transA: boolean, transB: boolean): void;
  /** y[m×n] = x[m×k]·w[k×n] + b[n]. */
  linear(heap: ArrayBuffer, x: number, w: number, b: number, y: number, m: number, n: number, k: number): void;
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
    n: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, gradScale?: number): void;
  /** Σ x² over tensors given as [offset0, size0, offset1, size1, …] (float32), in double. */
  sumSquares(heap: ArrayBuffer, spec: Float64Array): number;
  /** segment: byte offset of int32 segment ids [B·T], or -1 for plain causal attention. */
  attention(heap: ArrayBuffer, qkv: number, y: number, probs: number, B: number, T: number, H: number, C: number, segment: number): void;
  attentionGrad(heap: ArrayBuffer, dy: number, qkv: number, probs: number, dqkv: number, B: number, T: number, H: number, C: number, segment: number): void;
  /** out[i] = table[ids[i]] (rows of rowBytes; an id outside [0, rows) gives zeros). */
  gatherRows(heap: ArrayBuffer, table: number, ids: number, out: number, n: number, rowBytes: number, rows: number): void;
  /** out[s] = Σ rows i of data with ids[i] = s ([n, c] float32 → [segments, c]). */
  segmentSum(heap: ArrayBuffer, data: number, ids: number, out: number, n: number, c: number, segments: number): void;
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
 * (one large GEMM), each defaulting to the machine's available parallelism. The GEMM:
 * `TRAINYARD_GEMM` (a GemmChoice, default `auto`).
 * @throws the dlopen error (ABI mismatch, a missing libopenblas the addon was built with),
 * or a TrainyardError for a TRAINYARD_GEMM this build or CPU cannot run.
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
  const gemm = process.env.TRAINYARD_GEMM;
  if (gemm !== undefined && gemm !== '') setGemm(cached, gemm);
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

/** The GEMMs this build and CPU can run, fastest of ours first ("openblas" last when linked in). */
export function availableGemms(addon: NativeAddon): GemmChoice[] {
  const info = addon.info();
  const ladder: GemmChoice[] = ['generic', 'avx2', 'avx512'];
  const ours = ladder.slice(0, ladder.indexOf(info.gemmBest as GemmChoice) + 1).reverse();
  return info.blasConfig ? [...ours, 'openblas'] : ours;
}

/**
 * Chooses the GEMM of BatchMatMul.
 * @throws a TrainyardError naming the choices when `name` is unknown or unavailable here.
 */
export function setGemm(addon: NativeAddon, name: string): void {
  if (typeof addon.setGemm !== 'function') throw errors.nativeAddonStale({ kind: 'gemm', op: name });
  if (!(GEMM_CHOICES as readonly string[]).includes(name) || !addon.setGemm(name as GemmChoice)) {
    throw errors.nativeGemmUnavailable({ name, available: ['auto', ...availableGemms(addon)].join(', ') });
  }
}

/**
 * Sets the worker threads of the element-wise kernels and of one large GEMM. Trainyard's
 * kernels, its GEMM included, give bit-identical results for any thread count (fixed
 * partitioning and reduction order); OpenBLAS's sgemm is deterministic for a fixed
 * `blasThreads` only (its blocking depends on it).
 */
export function setNativeThreads(threads: number, blasThreads: number = threads): void {
  loadAddon().setThreads(threads, blasThreads);
}
