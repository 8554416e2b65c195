/**
 * @fileoverview Data movement on the device: Transpose, Slice and PadV2 as one index-remapping
 * kernel (rank <= 6), Concat and SplitV as strided 2-D copies, GatherV2 on axis 0 (the
 * embedding lookup), UnsortedSegmentSum (its gradient) and OneHot.
 */
import { splitPlan } from '../../geometry.js';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CudaAddon } from '../addon.js';
import { cudaKernel, sizeOf, type CudaBackend } from '../backend.js';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const MAX_RANK = 6;

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}

/** The fill value's bits as the kernel copies them (4-byte float32/int32, or a bool byte). */
function fillBits(dtype: string, value: number): number {
  if (dtype === 'bool') return value ? 1 : 0;
  const buf = new DataView(new ArrayBuffer(4));
  if (dtype === 'int32') buf.setInt32(0, value, true);
  else buf.setFloat32(0, value, true);
  return buf.getUint32(0, true);
}

/**
 * y[idx] = x[offset + Σ (idx_d − before_d)·inStride_d], or `fill` outside x: one kernel for
 * transpose (permuted strides), slice (an offset) and pad (a shifted window).
 */
function remap(backend: CudaBackend, x: TensorInfo, outShape: number[], inStride: number[], before: number[], inShape: number[], offset: number, fill = 0): TensorInfo | undefined {
  const bpe = BYTES[x.dtype];
  if (!bpe || outShape.length > MAX_RANK) return undefined;
  const out = backend.makeOutput(outShape, x.dtype);
  if (sizeOf(outShape) === 0) return out;
  if (outShape.length === 0) {
    backend.addon.copy(backend.ptr(out), backend.ptr(x) + offset * bpe, bpe);
    return out;
  }
  const r = outShape.length;
  const map = new Float64Array(2 + 4 * r);
  map[0] = r;
  map[1] = offset;
  map.set(outShape, 2);
  map.set(inStride, 2 + r);
  map.set(before, 2 + 2 * r);
  map.set(inShape, 2 + 3 * r);
  backend.addon.remap(backend.ptr(x), backend.ptr(out), bpe, fillBits(x.dtype, fill), map);
  return out;
}

export function layoutKernels(addon: CudaAddon, name: string): KernelConfig[] {
  const k = (kernelName: string, run: Parameters<typeof cudaKernel>[2]) => cudaKernel(kernelName, name, run);
  return [
    k(tf.Transpose, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const perm = (attrs as unknown as { perm: number[] }).perm;
      const s = strides(x.shape);
      const outShape = perm.map((p) => x.shape[p]!);
      return remap(backend, x, outShape, perm.map((p) => s[p]!), outShape.map(() => 0), outShape, 0);
    }),
    k(tf.Slice, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const a = attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size) as [number[], number[]];
      const s = strides(x.shape);
      const offset = begin.reduce((acc, b, d) => acc + b * s[d]!, 0);
      return remap(backend, x, size, s, size.map(() => 0), size, offset);
    }),
    k(tf.PadV2, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const { paddings, constantValue } = attrs as unknown as { paddings: Array<[number, number]>; constantValue: number };
      const outShape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
      return remap(backend, x, outShape, strides(x.shape), paddings.map((p) => p[0]), x.shape, 0, constantValue);
    }),
    k(tf.Concat, ({ inputs, attrs }, backend) => {
      const all = Object.values(inputs) as TensorInfo[];
      const xs = all.filter((t) => sizeOf(t.shape) > 0);
      const first = xs[0] ?? all[0];
      if (!first || all.some((t) => t.dtype !== first.dtype) || !BYTES[first.dtype]) return undefined;
      const axis = tf.util.parseAxisParam((attrs as unknown as { axis: number }).axis, first.shape)[0]!;
      const outShape = tf.backend_util.computeOutShape(all.map((t) => t.shape), axis);
      const out = backend.makeOutput(outShape, first.dtype);
      const bpe = BYTES[first.dtype]!, outer = sizeOf(first.shape.slice(0, axis));
      const outRow = sizeOf(outShape.slice(axis)) * bpe;
      let col = 0;
      for (const x of xs) {
        const row = sizeOf(x.shape.slice(axis)) * bpe;
        addon.copy2d(backend.ptr(x), backend.ptr(out) + col, outer, row, row, outRow);
        col += row;
      }
      return out;
    }),
    k(tf.SplitV, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const bpe = BYTES[x.dtype];
      if (!bpe) return undefined;
      const p = splitPlan(x, attrs, bpe);
      return p.shapes.map((shape, i) => {
        const out = backend.makeOutput(shape, x.dtype);
        const row = p.rows[i]!;
        if (row > 0 && p.outer > 0) addon.copy2d(backend.ptr(x) + p.cols[i]!, backend.ptr(out), p.outer, row, p.inRow, row);
        return out;
      });
    }),
    k(tf.GatherV2, ({ inputs, attrs }, backend) => {
      const { x, indices } = inputs as Record<string, TensorInfo>;
      const { axis = 0, batchDims = 0 } = (attrs ?? {}) as { axis?: number; batchDims?: number };
      if (!x || !indices || BYTES[x.dtype] !== 4 || indices.dtype !== 'int32' || batchDims !== 0 || x.shape.length < 1) return undefined;
      if (tf.util.parseAxisParam(axis, x.shape)[0] !== 0) return undefined;
      const row = sizeOf(x.shape.slice(1)), n = sizeOf(indices.shape);
      const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
      if (n > 0 && row > 0) addon.gatherRows(backend.ptr(x), backend.ptr(indices), backend.ptr(out), n, row, x.shape[0]!);
      return out;
    }),
    k(tf.UnsortedSegmentSum, ({ inputs, attrs }, backend) => {
      const { x, segmentIds } = inputs as Record<string, TensorInfo>;
      const { numSegments } = attrs as unknown as { numSegments: number };
      if (!x || !segmentIds || x.dtype !== 'float32' || segmentIds.dtype !== 'int32' || segmentIds.shape.length !== 1 || x.shape[0] !== segmentIds.shape[0]) return undefined;
      const c = sizeOf(x.shape.slice(1));
      const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
      if (numSegments * c > 0) addon.segmentSum(backend.ptr(x), backend.ptr(segmentIds), backend.ptr(out), x.shape[0]!, c, numSegments);
      return out;
    }),
    k(tf.OneHot, ({ inputs, attrs }, backend) => {
      const indices = inputs.indices as TensorInfo;
      const { depth, onValue = 1, offValue = 0, dtype = 'float32' } = attrs as unknown as { depth: number; onValue?: number; offValue?: number; dtype?: string };
      if (indices.dtype !== 'int32' || (dtype !== 'float32' && dtype !== 'int32')) return undefined;
      const out = backend.makeOutput([...indices.shape, depth], dtype);
      const n = sizeOf(indices.shape);
      if (n * depth > 0) addon.oneHot(backend.ptr(indices), backend.ptr(out), n, depth, onValue, offValue, dtype === 'int32');
      return out;
    }),
  ];
}
