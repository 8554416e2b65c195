/**
 * @fileoverview Sum / Max / Mean over a contiguous block of axes (the cases a transformer
 * produces: last axis, or leading axes for bias gradients), and Softmax over the last axis.
 * Other axis sets and dtypes fall back on the wasm kernels.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { opCode, type NativeAddon, type ReduceOpName } from '../addon.js';
import { heapOf, nativeKernel, offsetOf, sizeOf } from './heap.js';

/** TF.js kernel → the addon's reduce op (its code comes from `addon.ops.reduce`). */
const REDUCE: Record<string, ReduceOpName> = { [tf.Sum]: 'sum', [tf.Max]: 'max', [tf.Mean]: 'mean' };

function reduceKernel(addon: NativeAddon, name: string, op: number): KernelConfig {
  return nativeKernel(name, ({ inputs, attrs }, backend) => {
    const x = inputs.x as TensorInfo;
    // Max names its axes `reductionIndices`; Sum and Mean say `axis`.
    const a = attrs as unknown as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims?: boolean };
    const axis = a.axis ?? a.reductionIndices ?? null;
    const keepDims = a.keepDims ?? false;
    if (x.dtype !== 'float32' || x.shape.length === 0) return undefined;
    const axes = [...new Set(tf.util.parseAxisParam(axis as number[], x.shape))].sort((p, q) => p - q);
    if (axes.length === 0) return undefined;
    const lo = axes[0]!, hi = axes[axes.length - 1]!;
    if (hi - lo + 1 !== axes.length) return undefined; // not a contiguous block
    const red = sizeOf(x.shape.slice(lo, hi + 1));
    if (red === 0) return undefined;
    const outer = sizeOf(x.shape.slice(0, lo)), inner = sizeOf(x.shape.slice(hi + 1));
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    addon.reduce(heapOf(backend), op, offsetOf(backend, x), offsetOf(backend, out), outer, red, inner);
    return out;
  });
}

export function reduceKernels(addon: NativeAddon): KernelConfig[] {
  return [
    ...Object.entries(REDUCE).map(([name, op]) => reduceKernel(addon, name, opCode(addon, 'reduce', op))),
    nativeKernel(tf.Softmax, ({ inputs, attrs }, backend) => {
      const x = inputs.logits as TensorInfo;
      const { dim } = attrs as unknown as { dim: number };
      const r = x.shape.length;
      if (x.dtype !== 'float32' || r === 0 || (dim !== -1 && dim !== r - 1)) return undefined;
      const v = x.shape[r - 1]!;
      const out = backend.makeOutput(x.shape, 'float32');
      if (v > 0) addon.softmax(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape) / v, v);
      return out;
    }),
  ];
}
