/**
 * @fileoverview Access to the wasm backend's heap from native kernels: byte offsets of tensors
 * (from the backend's dataIdMap) and the heap ArrayBuffer. Read the heap *after* allocating
 * outputs, since a malloc can grow (and replace) the wasm memory buffer.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm the native kernels use. */
export interface WasmLikeBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): TensorInfo;
  incRef(dataId: object): void;
}

export type KernelArgs = Parameters<KernelFunc>[0];

/** The heap ArrayBuffer (current; may change after a malloc). */
export function heapOf(backend: WasmLikeBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/** Byte offset of a tensor's data on the heap. */
export function offsetOf(backend: WasmLikeBackend, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error(`native backend: tensor ${JSON.stringify(t.shape)} has no data on this backend`);
  return data.memoryOffset;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The wasm kernel for the same op (fallback for dtypes/layouts the native kernel skips). */
function wasmKernel(kernelName: string): KernelFunc {
  const k = getKernel(kernelName, 'wasm');
  if (!k) throw new Error(`native backend: no wasm kernel ${kernelName} to fall back on`);
  return k.kernelFunc;
}

/** A native kernel config; `run` returns undefined to fall back on the wasm kernel. */
export function nativeKernel(
  kernelName: string,
  run: (args: KernelArgs, backend: WasmLikeBackend) => TensorInfo | TensorInfo[] | undefined,
): KernelConfig {
  let fallback: KernelFunc | undefined;
  return {
    kernelName,
    backendName: 'native',
    kernelFunc: (args) => {
      const out = run(args, args.backend as unknown as WasmLikeBackend);
      if (out !== undefined) return out;
      fallback ??= wasmKernel(kernelName);
      return fallback(args);
    },
  };
}
