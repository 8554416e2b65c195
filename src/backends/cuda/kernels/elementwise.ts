/**
 * @fileoverview Element-wise kernels on the device: float32 unary math and broadcasting binary
 * ops (the broadcast geometry collapsed as for the native backend), AddN, and the metadata or
 * fill kernels every model needs: Identity, Reshape, Cast, Fill, ZerosLike, OnesLike.
 */
import type { DataType, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { broadcastGeometry } from '../../native/kernels/elementwise.js';
import type { CudaAddon, CudaBinaryOp, CudaUnaryOp } from '../addon.js';
import { cudaKernel, DTYPE_CODE, sizeOf, type CudaBackend } from '../backend.js';

const UNARY: Record<string, CudaUnaryOp> = {
  [tf.Exp]: 'exp', [tf.Erf]: 'erf', [tf.Tanh]: 'tanh', [tf.Neg]: 'neg', [tf.Sqrt]: 'sqrt', [tf.Rsqrt]: 'rsqrt',
  [tf.Square]: 'square', [tf.Log]: 'log', [tf.Relu]: 'relu', [tf.Sigmoid]: 'sigmoid', [tf.Abs]: 'abs',
  [tf.Reciprocal]: 'reciprocal', [tf.Floor]: 'floor',
};
const BINARY: Record<string, CudaBinaryOp> = {
  [tf.Add]: 'add', [tf.Sub]: 'sub', [tf.Multiply]: 'mul', [tf.RealDiv]: 'div',
  [tf.SquaredDifference]: 'squaredDifference', [tf.Maximum]: 'maximum', [tf.Minimum]: 'minimum', [tf.Pow]: 'pow',
};

/** a ⊕ b on the device, or undefined when the collapsed broadcast rank is too high. */
export function binaryOn(backend: CudaBackend, op: number, a: TensorInfo, b: TensorInfo): TensorInfo | undefined {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const geom = broadcastGeometry(a.shape, b.shape, outShape);
  if (!geom) return undefined;
  const out = backend.makeOutput(outShape, 'float32');
  if (sizeOf(outShape) > 0) backend.addon.binary(op, backend.ptr(a), backend.ptr(b), backend.ptr(out), geom);
  return out;
}

/** A tensor of `shape` filled with `value` (float32, int32 or bool). */
export function fillOn(backend: CudaBackend, shape: number[], dtype: DataType, value: number): TensorInfo | undefined {
  if (DTYPE_CODE[dtype] === undefined) return undefined;
  const out = backend.makeOutput(shape, dtype);
  const n = sizeOf(shape);
  if (n > 0) backend.addon.fill(backend.ptr(out), n, dtype === 'bool' ? 1 : 4, value, dtype === 'int32');
  return out;
}

/** Shares x's data under another shape (Identity, Reshape). */
function alias(backend: CudaBackend, x: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

export function elementwiseKernels(addon: CudaAddon, name: string): KernelConfig[] {
  const k = (kernelName: string, run: Parameters<typeof cudaKernel>[2]) => cudaKernel(kernelName, name, run);
  return [
    ...Object.entries(UNARY).map(([kernelName, op]) => k(kernelName, ({ inputs }, backend) => {
      const x = inputs.x as TensorInfo;
      if (x.dtype !== 'float32') return undefined;
      const out = backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x.shape);
      if (n > 0) addon.unary(addon.ops.unary[op], backend.ptr(x), backend.ptr(out), n);
      return out;
    })),
    ...Object.entries(BINARY).map(([kernelName, op]) => k(kernelName, ({ inputs }, backend) => {
      const a = inputs.a as TensorInfo, b = inputs.b as TensorInfo;
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
      return binaryOn(backend, addon.ops.binary[op], a, b);
    })),
    k(tf.AddN, ({ inputs }, backend) => {
      const xs = Object.values(inputs) as TensorInfo[];
      if (xs.length === 0 || xs.some((x) => x.dtype !== 'float32' || !tf.util.arraysEqual(x.shape, xs[0]!.shape))) return undefined;
      if (xs.length === 1) return alias(backend, xs[0]!, xs[0]!.shape);
      let acc = binaryOn(backend, addon.ops.binary.add, xs[0]!, xs[1]!)!;
      for (const x of xs.slice(2)) {
        const next = binaryOn(backend, addon.ops.binary.add, acc, x)!;
        backend.disposeIntermediate(acc);
        acc = next;
      }
      return acc;
    }),
    k(tf.Identity, ({ inputs }, backend) => alias(backend, inputs.x as TensorInfo, (inputs.x as TensorInfo).shape)),
    k(tf.Reshape, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const shape = tf.util.inferFromImplicitShape((attrs as unknown as { shape: number[] }).shape, sizeOf(x.shape));
      tf.util.assert(sizeOf(shape) === sizeOf(x.shape), () => `cannot reshape [${x.shape}] into [${shape}]`);
      return alias(backend, x, shape);
    }),
    k(tf.Cast, ({ inputs, attrs }, backend) => {
      const x = inputs.x as TensorInfo;
      const dtype = (attrs as unknown as { dtype: DataType }).dtype;
      if (dtype === x.dtype) return alias(backend, x, x.shape);
      const from = DTYPE_CODE[x.dtype], to = DTYPE_CODE[dtype];
      if (from === undefined || to === undefined) return undefined;
      const out = backend.makeOutput(x.shape, dtype);
      const n = sizeOf(x.shape);
      if (n > 0) addon.cast(backend.ptr(x), backend.ptr(out), n, from, to);
      return out;
    }),
    k(tf.Fill, ({ attrs }, backend) => {
      const { shape, value, dtype } = attrs as unknown as { shape: number[]; value: number; dtype?: DataType };
      if (typeof value !== 'number') return undefined;
      return fillOn(backend, shape, dtype ?? 'float32', value);
    }),
    k(tf.ZerosLike, ({ inputs }, backend) => fillOn(backend, (inputs.x as TensorInfo).shape, (inputs.x as TensorInfo).dtype, 0)),
    k(tf.OnesLike, ({ inputs }, backend) => fillOn(backend, (inputs.x as TensorInfo).shape, (inputs.x as TensorInfo).dtype, 1)),
  ];
}
