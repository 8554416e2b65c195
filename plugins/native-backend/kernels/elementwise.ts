/**
 * @fileoverview Float32 element-wise kernels: unary math, broadcasting binary ops, and a
 * copy-free Identity. Broadcast geometry is collapsed here (adjacent dims merged, size-1
 * dims dropped) so the C++ loop runs long contiguous inner rows.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { heapOf, nativeKernel, offsetOf, sizeOf } from './heap.js';

/** Op codes of native/src/elementwise.cc (enum Unary). */
const UNARY: Record<string, number> = {
  [tf.Exp]: 0, [tf.Erf]: 1, [tf.Tanh]: 2, [tf.Neg]: 3, [tf.Sqrt]: 4, [tf.Rsqrt]: 5, [tf.Square]: 6,
  [tf.Log]: 7, [tf.Relu]: 8, [tf.Sigmoid]: 9, [tf.Abs]: 10, [tf.Reciprocal]: 11,
};
/** Op codes of native/src/elementwise.cc (enum Binary). */
const BINARY: Record<string, number> = {
  [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2, [tf.RealDiv]: 3, [tf.SquaredDifference]: 4,
  [tf.Maximum]: 5, [tf.Minimum]: 6, [tf.Pow]: 7,
};
const MAX_RANK = 6;

function contiguousStrides(shape: number[], out: number[]): number[] {
  const s = new Array<number>(shape.length).fill(0);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = shape[d] === 1 && out[d] !== 1 ? 0 : acc;
    acc *= shape[d]!;
  }
  return s;
}

/**
 * `[rank, shape..., aStrides..., bStrides...]` for the C++ loop, or undefined when the
 * collapsed rank exceeds MAX_RANK.
 */
export function broadcastGeometry(aShape: readonly number[], bShape: readonly number[], outShape: number[]): Int32Array | undefined {
  const r = outShape.length;
  const pad = (s: readonly number[]) => [...new Array<number>(r - s.length).fill(1), ...s];
  const sa = contiguousStrides(pad(aShape), outShape), sb = contiguousStrides(pad(bShape), outShape);
  const dims: Array<[number, number, number]> = []; // [size, strideA, strideB], outermost first
  for (let d = 0; d < r; d++) {
    if (outShape[d] === 1) continue;
    const prev = dims[dims.length - 1];
    const size = outShape[d]!;
    if (prev && prev[1] === sa[d]! * size && prev[2] === sb[d]! * size) {
      dims[dims.length - 1] = [prev[0] * size, sa[d]!, sb[d]!];
    } else dims.push([size, sa[d]!, sb[d]!]);
  }
  if (dims.length === 0) dims.push([1, 1, 1]);
  if (dims.length > MAX_RANK) return undefined;
  const n = dims.length;
  const geom = new Int32Array(1 + 3 * n);
  geom[0] = n;
  dims.forEach(([size, a, b], i) => { geom[1 + i] = size; geom[1 + n + i] = a; geom[1 + 2 * n + i] = b; });
  return geom;
}

function unaryKernel(addon: NativeAddon, name: string, op: number): KernelConfig {
  return nativeKernel(name, ({ inputs }, backend) => {
    const x = inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return undefined;
    const out = backend.makeOutput(x.shape, 'float32');
    addon.unary(heapOf(backend), op, offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape));
    return out;
  });
}

function binaryKernel(addon: NativeAddon, name: string, op: number): KernelConfig {
  return nativeKernel(name, ({ inputs }, backend) => {
    const a = inputs.a as TensorInfo, b = inputs.b as TensorInfo;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const geom = broadcastGeometry(a.shape, b.shape, outShape);
    if (!geom) return undefined;
    const out = backend.makeOutput(outShape, 'float32');
    if (sizeOf(outShape) === 0) return out;
    addon.binary(heapOf(backend), op, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), geom);
    return out;
  });
}

export function elementwiseKernels(addon: NativeAddon): KernelConfig[] {
  return [
    ...Object.entries(UNARY).map(([name, op]) => unaryKernel(addon, name, op)),
    ...Object.entries(BINARY).map(([name, op]) => binaryKernel(addon, name, op)),
    nativeKernel(tf.Identity, ({ inputs }, backend) => {
      const x = inputs.x as TensorInfo;
      if (x.dtype === 'string') return undefined;
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }),
  ];
}
