/**
 * @fileoverview Float32 element-wise kernels: unary math, broadcasting binary ops, and a
 * copy-free Identity. Broadcast geometry is collapsed here (adjacent dims merged, size-1
 * dims dropped) so the C++ loop runs long contiguous inner rows.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { opCode, type BinaryOpName, type NativeAddon, type UnaryOpName } from '../addon.js';
import { heapOf, nativeKernel, offsetOf, sizeOf } from './heap.js';

/** TF.js kernel → the addon's unary op (its code comes from `addon.ops.unary`). */
const UNARY: Record<string, UnaryOpName> = {
  [tf.Exp]: 'exp', [tf.Erf]: 'erf', [tf.Tanh]: 'tanh', [tf.Neg]: 'neg', [tf.Sqrt]: 'sqrt', [tf.Rsqrt]: 'rsqrt',
  [tf.Square]: 'square', [tf.Log]: 'log', [tf.Relu]: 'relu', [tf.Sigmoid]: 'sigmoid', [tf.Abs]: 'abs',
  [tf.Reciprocal]: 'reciprocal',
};
/** TF.js kernel → the addon's binary op (its code comes from `addon.ops.binary`). */
const BINARY: Record<string, BinaryOpName> = {
  [tf.Add]: 'add', [tf.Sub]: 'sub', [tf.Multiply]: 'mul', [tf.RealDiv]: 'div',
  [tf.SquaredDifference]: 'squaredDifference', [tf.Maximum]: 'maximum', [tf.Minimum]: 'minimum', [tf.Pow]: 'pow',
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
    ...Object.entries(UNARY).map(([name, op]) => unaryKernel(addon, name, opCode(addon, 'unary', op))),
    ...Object.entries(BINARY).map(([name, op]) => binaryKernel(addon, name, opCode(addon, 'binary', op))),
    nativeKernel(tf.Identity, ({ inputs }, backend) => {
      const x = inputs.x as TensorInfo;
      if (x.dtype === 'string') return undefined;
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }),
  ];
}
