/**
 * @fileoverview BatchMatMul (cuBLAS strided batched GEMM on the GPU; transpose flags free) and
 * TrainyardLinear (bias broadcast into the output, then one GEMM with beta = 1).
 */
import { linearGeometry, matmulGeometry } from '../../geometry.js';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { BatchMatMul } from '@tensorflow/tfjs-core';
import * as K from '../../../model/kernel-names.js';
import type { CudaAddon } from '../addon.js';
import { cudaKernel, sizeOf } from '../backend.js';

export function matmulKernels(addon: CudaAddon, name: string): KernelConfig[] {
  return [
    cudaKernel(BatchMatMul, name, ({ inputs, attrs }, backend) => {
      const a = inputs.a as TensorInfo, b = inputs.b as TensorInfo;
      const g = matmulGeometry(a, b, attrs);
      if (!g) return undefined;
      const out = backend.makeOutput(g.outShape, 'float32');
      if (sizeOf(out.shape) > 0) {
        addon.batchMatMul(backend.ptr(a), backend.ptr(b), backend.ptr(out), g.batchA, g.batchB, g.m, g.n, g.k, g.transposeA, g.transposeB);
      }
      return out;
    }),
    cudaKernel(K.TrainyardLinear, name, ({ inputs }, backend) => {
      const { x, w, b } = inputs as Record<string, TensorInfo>;
      if (!x || !w || !b) return undefined;
      const g = linearGeometry(x, w, b);
      if (!g) return undefined;
      const { m, n, k } = g;
      const out = backend.makeOutput([m, n], 'float32');
      if (m * n > 0) addon.linear(backend.ptr(x), backend.ptr(w), backend.ptr(b), backend.ptr(out), m, n, k);
      return out;
    }),
  ];
}
