/**
 * @fileoverview Sum / Max / Mean over a contiguous block of axes (the cases a transformer
 * produces: last axis, or leading axes for bias gradients), and Softmax over the last axis.
 * Other axis sets and dtypes fall back on the wasm kernels.
 */
import { reduceGeometry, softmaxGeometry } from '../../geometry.js';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { opCode, type NativeAddon, type ReduceOpName } from '../addon.js';
import { heapOf, nativeKernel, offsetOf } from './heap.js';

/** TF.js kernel → the addon's reduce op (its code comes from `addon.ops.reduce`). */
const REDUCE: Record<string, ReduceOpName> = { [tf.Sum]: 'sum', [tf.Max]: 'max', [tf.Mean]: 'mean' };

function reduceKernel(addon: NativeAddon, name: string, op: number): KernelConfig {
  return nativeKernel(name, ({ inputs, attrs }, backend) => {
    const x = inputs.x as TensorInfo;
    const g = reduceGeometry(x, attrs);
    if (!g) return undefined;
    const out = backend.makeOutput(g.outShape, 'float32');
    addon.reduce(heapOf(backend), op, offsetOf(backend, x), offsetOf(backend, out), g.outer, g.red, g.inner);
    return out;
  });
}

export function reduceKernels(addon: NativeAddon): KernelConfig[] {
  return [
    ...Object.entries(REDUCE).map(([name, op]) => reduceKernel(addon, name, opCode(addon, 'reduce', op))),
    nativeKernel(tf.Softmax, ({ inputs, attrs }, backend) => {
      const x = inputs.logits as TensorInfo;
      const g = softmaxGeometry(x, attrs);
      if (!g) return undefined;
      const out = backend.makeOutput(x.shape, 'float32');
      if (g.v > 0) addon.softmax(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), g.rows, g.v);
      return out;
    }),
  ];
}
