/**
 * @fileoverview Shape arithmetic shared by our addon backends (native, cuda): what a kernel
 * computes from its inputs' shapes and attributes before it calls its addon, so each backend's
 * kernel is only "check, allocate, call". Undefined means "not ours: fall back".
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** BatchMatMul: batch dims equal, or one side's product 1 (broadcast); float32 only. */
export interface MatmulGeometry { m: number; n: number; k: number; batchA: number; batchB: number; transposeA: boolean; transposeB: boolean; outShape: number[] }

export function matmulGeometry(a: TensorInfo, b: TensorInfo, attrs: unknown): MatmulGeometry | undefined {
  const { transposeA = false, transposeB = false } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const k2 = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== k2) return undefined; // the fallback kernel throws TF.js's shape error
  const batchShapeA = a.shape.slice(0, -2), batchShapeB = b.shape.slice(0, -2);
  const batchA = sizeOf(batchShapeA), batchB = sizeOf(batchShapeB);
  let batchShape: number[];
  if (batchA === batchB && batchShapeA.length === batchShapeB.length) batchShape = batchShapeA;
  else if (batchB === 1) batchShape = batchShapeA.length >= batchShapeB.length ? batchShapeA : [...batchShapeB.slice(0, batchShapeB.length - batchShapeA.length), ...batchShapeA];
  else if (batchA === 1) batchShape = batchShapeB.length >= batchShapeA.length ? batchShapeB : [...batchShapeA.slice(0, batchShapeA.length - batchShapeB.length), ...batchShapeB];
  else return undefined;
  return { m, n, k, batchA, batchB, transposeA, transposeB, outShape: [...batchShape, m, n] };
}

/** TrainyardLinear x [m, k] · w [k, n] + b [n], float32. */
export function linearGeometry(x: TensorInfo | undefined, w: TensorInfo | undefined, b: TensorInfo | undefined): { m: number; n: number; k: number } | undefined {
  if (!x || !w || !b || x.dtype !== 'float32' || w.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  if (x.shape.length !== 2 || w.shape.length !== 2 || b.shape.length !== 1 || x.shape[1] !== w.shape[0] || w.shape[1] !== b.shape[0]) return undefined;
  return { m: x.shape[0]!, k: x.shape[1]!, n: w.shape[1]! };
}

/**
 * SplitV as strided copies: part i is `outer` rows of `rows[i]` bytes taken at byte `cols[i]`
 * of each `inRow`-byte input row.
 */
export interface SplitPlan { shapes: number[][]; outer: number; inRow: number; rows: number[]; cols: number[] }

export function splitPlan(x: TensorInfo, attrs: unknown, bpe: number): SplitPlan {
  const { numOrSizeSplits, axis: rawAxis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
  const axis = tf.util.parseAxisParam(rawAxis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, axis);
  const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1));
  const rows = sizes.map((s) => s * inner * bpe);
  const cols = rows.map((_, i) => rows.slice(0, i).reduce((a, r) => a + r, 0));
  const shapes = sizes.map((s) => { const sh = x.shape.slice(); sh[axis] = s; return sh; });
  return { shapes, outer, inRow: x.shape[axis]! * inner * bpe, rows, cols };
}

/**
 * Sum/Max/Mean over one contiguous block of axes as [outer, red, inner]; float32 only. (Max
 * names its axes `reductionIndices`; Sum and Mean say `axis`.)
 */
export function reduceGeometry(x: TensorInfo, attrs: unknown): { outer: number; red: number; inner: number; outShape: number[] } | undefined {
  const a = attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims?: boolean };
  const axis = a.axis ?? a.reductionIndices ?? null;
  if (x.dtype !== 'float32' || x.shape.length === 0) return undefined;
  const axes = [...new Set(tf.util.parseAxisParam(axis as number[], x.shape))].sort((p, q) => p - q);
  if (axes.length === 0) return undefined;
  const lo = axes[0]!, hi = axes[axes.length - 1]!;
  if (hi - lo + 1 !== axes.length) return undefined; // not a contiguous block
  const red = sizeOf(x.shape.slice(lo, hi + 1));
  if (red === 0) return undefined;
  const outer = sizeOf(x.shape.slice(0, lo)), inner = sizeOf(x.shape.slice(hi + 1));
  const outShape = a.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  return { outer, red, inner, outShape };
}

/** Softmax over the last axis as [rows, v]; float32 only. */
export function softmaxGeometry(x: TensorInfo, attrs: unknown): { rows: number; v: number } | undefined {
  const { dim } = attrs as { dim: number };
  const r = x.shape.length;
  if (x.dtype !== 'float32' || r === 0 || (dim !== -1 && dim !== r - 1)) return undefined;
  const v = x.shape[r - 1]!;
  return { rows: v > 0 ? sizeOf(x.shape) / v : 0, v };
}
