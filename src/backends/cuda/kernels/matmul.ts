/**
 * @fileoverview BatchMatMul (cuBLAS strided batched GEMM on the GPU; transpose flags free) and
 * TrainyardLinear (bias broadcast into the output, then one GEMM with beta = 1).
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { BatchMatMul } from '@tensorflow/tfjs-core';
import * as K from '../../../model/kernel-names.js';
import type { CudaAddon } from '../addon.js';
import { cudaKernel, sizeOf } from '../backend.js';

export function matmulKernels(addon: CudaAddon, name: string): KernelConfig[] {
  return [
    cudaKernel(BatchMatMul, name, ({ inputs, attrs }, backend) => {
      const a = inputs.a as TensorInfo, b = inputs.b as TensorInfo;
      const { transposeA = false, transposeB = false } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
      const ra = a.shape.length, rb = b.shape.length;
      const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
      const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
      const k2 = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
      const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
      if (k !== k2) return undefined; // the host kernel throws the shape error
      const batchShapeA = a.shape.slice(0, -2), batchShapeB = b.shape.slice(0, -2);
      const batchA = sizeOf(batchShapeA), batchB = sizeOf(batchShapeB);
      let batchShape: number[];
      if (batchA === batchB && batchShapeA.length === batchShapeB.length) batchShape = batchShapeA;
      else if (batchB === 1) batchShape = batchShapeA.length >= batchShapeB.length ? batchShapeA : [...batchShapeB.slice(0, batchShapeB.length - batchShapeA.length), ...batchShapeA];
      else if (batchA === 1) batchShape = batchShapeB.length >= batchShapeA.length ? batchShapeB : [...batchShapeA.slice(0, batchShapeA.length - batchShapeB.length), ...batchShapeB];
      else return undefined;
      const out = backend.makeOutput([...batchShape, m, n], 'float32');
      if (sizeOf(out.shape) > 0) {
        addon.batchMatMul(backend.ptr(a), backend.ptr(b), backend.ptr(out), batchA, batchB, m, n, k, transposeA, transposeB);
      }
      return out;
    }),
    cudaKernel(K.TrainyardLinear, name, ({ inputs }, backend) => {
      const { x, w, b } = inputs as Record<string, TensorInfo>;
      if (!x || !w || !b || x.dtype !== 'float32' || w.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
      if (x.shape.length !== 2 || w.shape.length !== 2 || b.shape.length !== 1 || x.shape[1] !== w.shape[0] || w.shape[1] !== b.shape[0]) return undefined;
      const [m, k] = x.shape as [number, number], n = w.shape[1]!;
      const out = backend.makeOutput([m, n], 'float32');
      if (m * n > 0) addon.linear(backend.ptr(x), backend.ptr(w), backend.ptr(b), backend.ptr(out), m, n, k);
      return out;
    }),
  ];
}
