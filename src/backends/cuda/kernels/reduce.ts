/**
 * @fileoverview Sum / Max / Mean over a contiguous block of axes (viewed as [outer, red,
 * inner]) and Softmax over the last axis, on the device. Other axis sets take the host fallback.
 */
import { reduceGeometry, softmaxGeometry } from '../../geometry.js';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CudaAddon, CudaReduceOp } from '../addon.js';
import { cudaKernel } from '../backend.js';

const REDUCE: Record<string, CudaReduceOp> = { [tf.Sum]: 'sum', [tf.Max]: 'max', [tf.Mean]: 'mean' };

export function reduceKernels(addon: CudaAddon, name: string): KernelConfig[] {
  return [
    ...Object.entries(REDUCE).map(([kernelName, op]) => cudaKernel(kernelName, name, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const g = reduceGeometry(x, attrs);
      if (!g) return undefined;
      const out = backend.makeOutput(g.outShape, 'float32');
      if (g.outer * g.inner > 0) addon.reduce(addon.ops.reduce[op], backend.ptr(x), backend.ptr(out), g.outer, g.red, g.inner);
      return out;
    })),
    cudaKernel(tf.Softmax, name, ({ inputs, attrs }, backend) => {
      const x = inputs.logits as TensorInfo;
      const g = softmaxGeometry(x, attrs);
      if (!g) return undefined;
      const out = backend.makeOutput(x.shape, 'float32');
      if (g.v > 0 && g.rows > 0) addon.softmax(backend.ptr(x), backend.ptr(out), g.rows, g.v);
      return out;
    }),
  ];
}
