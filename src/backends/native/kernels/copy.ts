/**
 * @fileoverview Concat and SplitV as strided row copies (memcpy per row) on the heap.
 * Tensors are viewed as [outer, axisSize·inner]; each piece is one copy2d call. GatherV2 on
 * axis 0 (the embedding lookup) as row copies, and UnsortedSegmentSum (its gradient; wasm has
 * none, so the model otherwise multiplies by a one-hot matrix).
 */
import { splitPlan } from '../../geometry.js';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { heapOf, nativeKernel, offsetOf, sizeOf } from './heap.js';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export function copyKernels(addon: NativeAddon): KernelConfig[] {
  return [
    nativeKernel(tf.Concat, ({ inputs, attrs }, backend) => {
      const xs = (Object.values(inputs) as TensorInfo[]).filter((t) => sizeOf(t.shape) > 0);
      const first = xs[0];
      if (!first || xs.some((t) => t.dtype !== first.dtype) || !BYTES[first.dtype]) return undefined;
      const axis = tf.util.parseAxisParam((attrs as unknown as { axis: number }).axis, first.shape)[0]!;
      const outShape = tf.backend_util.computeOutShape(xs.map((t) => t.shape), axis);
      const out = backend.makeOutput(outShape, first.dtype as 'float32');
      const bpe = BYTES[first.dtype]!, outer = sizeOf(first.shape.slice(0, axis));
      const outRow = sizeOf(outShape.slice(axis)) * bpe;
      const dst = offsetOf(backend, out);
      let col = 0;
      for (const x of xs) {
        const row = sizeOf(x.shape.slice(axis)) * bpe;
        addon.copy2d(heapOf(backend), offsetOf(backend, x), dst + col, outer, row, row, outRow);
        col += row;
      }
      return out;
    }),
    nativeKernel(tf.GatherV2, ({ inputs, attrs }, backend) => {
      const { x, indices } = inputs as Record<string, TensorInfo>;
      const { axis = 0, batchDims = 0 } = (attrs ?? {}) as { axis?: number; batchDims?: number };
      const bpe = x ? BYTES[x.dtype] : undefined;
      if (!x || !indices || !bpe || indices.dtype !== 'int32' || batchDims !== 0 || x.shape.length < 1) return undefined;
      if (tf.util.parseAxisParam(axis, x.shape)[0] !== 0) return undefined;
      const row = sizeOf(x.shape.slice(1)) * bpe, n = sizeOf(indices.shape);
      const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype as 'float32');
      if (n > 0 && row > 0) addon.gatherRows(heapOf(backend), offsetOf(backend, x), offsetOf(backend, indices), offsetOf(backend, out), n, row, x.shape[0]!);
      return out;
    }),
    nativeKernel(tf.UnsortedSegmentSum, ({ inputs, attrs }, backend) => {
      const { x, segmentIds } = inputs as Record<string, TensorInfo>;
      const { numSegments } = attrs as unknown as { numSegments: number };
      if (!x || !segmentIds || x.dtype !== 'float32' || segmentIds.dtype !== 'int32' || segmentIds.shape.length !== 1 || x.shape[0] !== segmentIds.shape[0]) return undefined;
      const c = sizeOf(x.shape.slice(1)), n = x.shape[0]!;
      const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
      addon.segmentSum(heapOf(backend), offsetOf(backend, x), offsetOf(backend, segmentIds), offsetOf(backend, out), n, c, numSegments);
      return out;
    }),
    nativeKernel(tf.SplitV, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const bpe = BYTES[x.dtype];
      if (!bpe) return undefined;
      const p = splitPlan(x, attrs, bpe);
      return p.shapes.map((shape, i) => {
        const out = backend.makeOutput(shape, x.dtype as 'float32');
        const row = p.rows[i]!;
        if (row > 0 && p.outer > 0) addon.copy2d(heapOf(backend), offsetOf(backend, x) + p.cols[i]!, offsetOf(backend, out), p.outer, row, p.inRow, row);
        return out;
      });
    }),
  ];
}
