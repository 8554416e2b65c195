/**
 * @fileoverview Sum / Max / Mean over a contiguous block of axes (viewed as [outer, red,
 * inner]) and Softmax over the last axis, on the device. Other axis sets take the host fallback.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CudaAddon, CudaReduceOp } from '../addon.js';
import { cudaKernel, sizeOf } from '../backend.js';

const REDUCE: Record<string, CudaReduceOp> = { [tf.Sum]: 'sum', [tf.Max]: 'max', [tf.Mean]: 'mean' };

export function reduceKernels(addon: CudaAddon, name: string): KernelConfig[] {
  return [
    ...Object.entries(REDUCE).map(([kernelName, op]) => cudaKernel(kernelName, name, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const a = attrs as unknown as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims?: boolean };
      const axis = a.axis ?? a.reductionIndices ?? null;
      if (x.dtype !== 'float32' || x.shape.length === 0) return undefined;
      const axes = [...new Set(tf.util.parseAxisParam(axis as number[], x.shape))].sort((p, q) => p - q);
      if (axes.length === 0) return undefined;
      const lo = axes[0]!, hi = axes[axes.length - 1]!;
      if (hi - lo + 1 !== axes.length) return undefined;
      const red = sizeOf(x.shape.slice(lo, hi + 1));
      if (red === 0) return undefined;
      const outer = sizeOf(x.shape.slice(0, lo)), inner = sizeOf(x.shape.slice(hi + 1));
      const outShape = a.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
      const out = backend.makeOutput(outShape, 'float32');
      if (outer * inner > 0) addon.reduce(addon.ops.reduce[op], backend.ptr(x), backend.ptr(out), outer, red, inner);
      return out;
    })),
    cudaKernel(tf.Softmax, name, ({ inputs, attrs }, backend) => {
      const x = inputs.logits as TensorInfo;
      const { dim } = attrs as unknown as { dim: number };
      const r = x.shape.length;
      if (x.dtype !== 'float32' || r === 0 || (dim !== -1 && dim !== r - 1)) return undefined;
      const v = x.shape[r - 1]!;
      const out = backend.makeOutput(x.shape, 'float32');
      if (v > 0 && sizeOf(x.shape) > 0) addon.softmax(backend.ptr(x), backend.ptr(out), sizeOf(x.shape) / v, v);
      return out;
    }),
  ];
}
