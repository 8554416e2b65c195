/**
 * @fileoverview BatchMatMul on the addon's GEMM (ours, or OpenBLAS's; see addon.ts GemmChoice),
 * and TrainyardLinear (x·w + b in one call). Batch dims must match or be 1 (broadcast);
 * other batch broadcasts and non-float32 inputs fall back on the wasm kernel.
 */
import { linearGeometry, matmulGeometry } from '../../geometry.js';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import * as K from '../../../model/kernel-names.js';
import { heapOf, nativeKernel, offsetOf } from './heap.js';

export function matmulKernels(addon: NativeAddon): KernelConfig[] {
  return [
    nativeKernel(BatchMatMul, ({ inputs, attrs }, backend) => {
      const a = inputs.a as TensorInfo, b = inputs.b as TensorInfo;
      const g = matmulGeometry(a, b, attrs);
      if (!g) return undefined; // the wasm kernel throws the shape error or broadcasts
      const out = backend.makeOutput(g.outShape, 'float32');
      addon.batchMatMul(heapOf(backend), offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out),
        g.batchA, g.batchB, g.m, g.n, g.k, g.transposeA, g.transposeB);
      return out;
    }),
    nativeKernel(K.TrainyardLinear, ({ inputs }, backend) => {
      const { x, w, b } = inputs as Record<string, TensorInfo>;
      if (!x || !w || !b) return undefined;
      const g = linearGeometry(x, w, b);
      if (!g) return undefined;
      const { m, n, k } = g;
      const out = backend.makeOutput([m, n], 'float32');
      addon.linear(heapOf(backend), offsetOf(backend, x), offsetOf(backend, w), offsetOf(backend, b), offsetOf(backend, out), m, n, k);
      return out;
    }),
  ];
}
