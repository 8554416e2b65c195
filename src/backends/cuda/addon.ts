/**
 * @fileoverview Finds and loads the cuda addon: the GPU build (native/build-cuda/
 * trainyard_cuda.node, compiled by nvcc from native/cuda/) or its host-emulation build
 * (trainyard_cuda_emu.node: the same sources compiled by g++, kernels run as host loops).
 * Tensors are device pointers, passed to and from the addon as JS numbers.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { MatmulPrecision } from '../../plugins/contracts.js';

/** Op names of `unary` (native/cuda/kernels.h TYC_UNARY_OPS). */
export type CudaUnaryOp = 'exp' | 'erf' | 'tanh' | 'neg' | 'sqrt' | 'rsqrt' | 'square' | 'log' | 'relu' | 'sigmoid' | 'abs' | 'reciprocal' | 'floor';
/** Op names of `binary` (TYC_BINARY_OPS). */
export type CudaBinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'squaredDifference' | 'maximum' | 'minimum' | 'pow';
/** Op names of `reduce` (TYC_REDUCE_OPS). */
export type CudaReduceOp = 'sum' | 'max' | 'mean';

/** Matmul input precision (the pipeline's `precision:`), as the addon's setPrecision codes. */
export type { MatmulPrecision } from '../../plugins/contracts.js';
export const PRECISION_CODES: Readonly<Record<MatmulPrecision, number>> = { fp32: 0, tf32: 1, bf16: 2 };

/** A device pointer (an address as a number; 0 for empty tensors). */
export type Ptr = number;

/** native/cuda/addon.cu's exports (argument order documented there). */
export interface CudaAddon {
  ops: { unary: Readonly<Record<CudaUnaryOp, number>>; binary: Readonly<Record<CudaBinaryOp, number>>; reduce: Readonly<Record<CudaReduceOp, number>> };
  deviceInfo(): { emulated: boolean; deviceCount: number; name?: string; computeCapability?: string; totalMemory?: number; runtimeVersion?: number; error?: string; blas: string };
  alloc(bytes: number): Ptr;
  free(p: Ptr): void;
  upload(p: Ptr, data: ArrayBufferView): void;
  /** Waits for the stream, then copies into `data`. */
  download(p: Ptr, data: ArrayBufferView): void;
  copy(dst: Ptr, src: Ptr, bytes: number): void;
  zero(p: Ptr, bytes: number): void;
  sync(): void;
  memory(): { inUse: number; cached: number; peak: number; deviceAllocs: number; cacheHits: number };
  emptyCache(): void;
  setPrecision(code: number): void;
  unary(op: number, x: Ptr, y: Ptr, n: number): void;
  binary(op: number, a: Ptr, b: Ptr, y: Ptr, geom: Int32Array): void;
  reduce(op: number, x: Ptr, y: Ptr, outer: number, red: number, inner: number): void;
  sumSquares(spec: Float64Array, out: Ptr): void;
  layerNorm(x: Ptr, gamma: Ptr, beta: Ptr, y: Ptr, rows: number, c: number, eps: number): void;
  layerNormGrad(dy: Ptr, x: Ptr, gamma: Ptr, dx: Ptr, dgamma: Ptr, dbeta: Ptr, rows: number, c: number, eps: number): void;
  gelu(x: Ptr, y: Ptr, n: number): void;
  geluGrad(dy: Ptr, x: Ptr, dx: Ptr, n: number): void;
  softmax(x: Ptr, y: Ptr, rows: number, v: number): void;
  softmaxCrossEntropy(logits: Ptr, labels: Ptr, loss: Ptr, rows: number, v: number): void;
  softmaxCrossEntropyGrad(dloss: Ptr, logits: Ptr, labels: Ptr, dlogits: Ptr, rows: number, v: number): void;
  adamw(p: Ptr, g: Ptr, m: Ptr, v: Ptr, pOut: Ptr, mOut: Ptr, vOut: Ptr, n: number, lr: number, beta1: number, beta2: number,
    eps: number, weightDecay: number, step: number, gradScale: number): void;
  /** segment: pointer to int32 ids [B·T], or 0 for plain causal attention. */
  attention(qkv: Ptr, y: Ptr, probs: Ptr, B: number, T: number, H: number, C: number, segment: Ptr): void;
  attentionGrad(dy: Ptr, qkv: Ptr, probs: Ptr, dqkv: Ptr, B: number, T: number, H: number, C: number, segment: Ptr): void;
  batchMatMul(a: Ptr, b: Ptr, c: Ptr, batchA: number, batchB: number, m: number, n: number, k: number, transA: boolean, transB: boolean): void;
  linear(x: Ptr, w: Ptr, b: Ptr, y: Ptr, m: number, n: number, k: number): void;
  copy2d(src: Ptr, dst: Ptr, rows: number, rowBytes: number, srcStride: number, dstStride: number): void;
  gatherRows(table: Ptr, ids: Ptr, out: Ptr, n: number, rowElems: number, rows: number): void;
  segmentSum(data: Ptr, ids: Ptr, out: Ptr, n: number, c: number, segments: number): void;
  /** map: [rank, offset, outShape..., inStride..., before..., inShape...]. */
  remap(x: Ptr, y: Ptr, elemBytes: number, fill: number, map: Float64Array): void;
  /** dtype codes: 0 float32, 1 int32, 2 bool. */
  cast(x: Ptr, y: Ptr, n: number, from: number, to: number): void;
  fill(y: Ptr, n: number, elemBytes: number, value: number, isInt: boolean): void;
  oneHot(ids: Ptr, y: Ptr, n: number, depth: number, on: number, off: number, isInt: boolean): void;
}

/** Which build: the GPU one or the host emulation. */
export type CudaFlavor = 'gpu' | 'emulated';

const BUILD = '../../../native/build-cuda/';
const PATHS: Record<CudaFlavor, string> = {
  gpu: fileURLToPath(new URL(`${BUILD}trainyard_cuda.node`, import.meta.url)),
  emulated: fileURLToPath(new URL(`${BUILD}trainyard_cuda_emu.node`, import.meta.url)),
};

/**
 * The addon file of a flavor; `TRAINYARD_CUDA_ADDON` / `TRAINYARD_CUDA_EMU_ADDON` point
 * elsewhere (bench/gpu.sh runs a bundle that carries the addon next to it).
 */
export function cudaAddonPath(flavor: CudaFlavor): string {
  const override = flavor === 'gpu' ? process.env.TRAINYARD_CUDA_ADDON : process.env.TRAINYARD_CUDA_EMU_ADDON;
  return override || PATHS[flavor];
}

export function cudaAddonBuilt(flavor: CudaFlavor): boolean {
  return existsSync(cudaAddonPath(flavor));
}

/** True when this machine has an NVIDIA GPU and driver (/dev/nvidia0, or nvidia-smi lists one). */
export function gpuPresent(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 && /GPU \d/.test(r.stdout);
}

/** `TRAINYARD_CUDA_EMULATE=1`: the `cuda` backend runs on the host-emulation addon. */
export function emulationForced(): boolean {
  return process.env.TRAINYARD_CUDA_EMULATE === '1';
}

const cache = new Map<CudaFlavor, CudaAddon>();

/**
 * Loads a flavor's addon once. The GPU build must also see a device.
 * @throws the dlopen error, or an Error naming why the GPU cannot be used.
 */
export function loadCudaAddon(flavor: CudaFlavor): CudaAddon {
  const hit = cache.get(flavor);
  if (hit) return hit;
  const addon = createRequire(import.meta.url)(cudaAddonPath(flavor)) as CudaAddon;
  if (flavor === 'gpu') {
    const info = addon.deviceInfo();
    if (info.deviceCount < 1) throw new Error(`no CUDA device: ${info.error ?? 'cudaGetDeviceCount found none'}`);
  }
  cache.set(flavor, addon);
  return addon;
}
