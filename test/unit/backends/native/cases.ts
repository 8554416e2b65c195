/**
 * @fileoverview The kernel conformance cases (forward values against the `cpu` backend, every
 * transpose/broadcast variant the built-in gradients of these ops produce), shared by the
 * native suite (./kernels.test.ts) and the cuda one (../cuda/conformance.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../../../../src/model/ops.js';
import { rand, type Input } from './harness.js';

export interface Case { name: string; fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]; inputs: Input[] }

const pos = (shape: number[], seed: number) => rand(shape, seed, 0.1, 2);
/** int32 ids in [0, n), repeats included. */
const ids = (shape: number[], n: number, seed: number): Input => ({ shape, dtype: 'int32', data: Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 7 + seed * 3) % n) });
export const CASES: Case[] = [
  { name: 'matMul 2-D', fn: (a, b) => tf.matMul(a!, b!), inputs: [rand([7, 5], 1), rand([5, 3], 2)] },
  { name: 'matMul transposeA', fn: (a, b) => tf.matMul(a!, b!, true, false), inputs: [rand([5, 7], 1), rand([5, 3], 2)] },
  { name: 'matMul transposeB', fn: (a, b) => tf.matMul(a!, b!, false, true), inputs: [rand([7, 5], 1), rand([3, 5], 2)] },
  { name: 'matMul both transposed, batched', fn: (a, b) => tf.matMul(a!, b!, true, true), inputs: [rand([4, 5, 7], 1), rand([4, 3, 5], 2)] },
  { name: 'matMul rank 4 (attention)', fn: (a, b) => tf.matMul(a!, b!, false, true), inputs: [rand([2, 4, 16, 8], 1), rand([2, 4, 16, 8], 2)] },
  { name: 'matMul batch broadcast', fn: (a, b) => tf.matMul(a!, b!), inputs: [rand([6, 9, 12], 1), rand([12, 10], 2)] },
  { name: 'matMul large (threaded BLAS)', fn: (a, b) => tf.matMul(a!, b!), inputs: [rand([96, 128], 1), rand([128, 384], 2)] },
  { name: 'add same shape', fn: (a, b) => tf.add(a!, b!), inputs: [rand([3, 4, 5], 1), rand([3, 4, 5], 2)] },
  { name: 'add bias [C]', fn: (a, b) => tf.add(a!, b!), inputs: [rand([2, 6, 8], 1), rand([8], 2)] },
  { name: 'sub [B,T,1]', fn: (a, b) => tf.sub(a!, b!), inputs: [rand([2, 6, 8], 1), rand([2, 6, 1], 2)] },
  { name: 'mul middle broadcast', fn: (a, b) => tf.mul(a!, b!), inputs: [rand([2, 6, 8], 1), rand([2, 1, 8], 2)] },
  { name: 'div scalar', fn: (a, b) => tf.div(a!, b!), inputs: [rand([5, 7], 1), pos([], 2)] },
  { name: 'div outer broadcast', fn: (a, b) => tf.div(a!, b!), inputs: [rand([4, 1, 3], 1), pos([5, 1], 2)] },
  { name: 'squaredDifference', fn: (a, b) => tf.squaredDifference(a!, b!), inputs: [rand([4, 9], 1), rand([9], 2)] },
  { name: 'maximum', fn: (a, b) => tf.maximum(a!, b!), inputs: [rand([4, 9], 1), rand([4, 9], 2)] },
  { name: 'minimum', fn: (a, b) => tf.minimum(a!, b!), inputs: [rand([4, 9], 1), rand([1, 9], 2)] },
  { name: 'pow', fn: (a, b) => tf.pow(a!, b!), inputs: [pos([4, 9], 1), rand([4, 9], 2)] },
  { name: 'exp', fn: (x) => tf.exp(x!), inputs: [rand([50, 33], 3)] },
  { name: 'erf', fn: (x) => tf.erf(x!), inputs: [rand([50, 33], 3, -3, 3)] },
  { name: 'tanh', fn: (x) => tf.tanh(x!), inputs: [rand([50, 33], 3, -3, 3)] },
  { name: 'neg', fn: (x) => tf.neg(x!), inputs: [rand([10, 3], 3)] },
  { name: 'sqrt', fn: (x) => tf.sqrt(x!), inputs: [pos([10, 3], 3)] },
  { name: 'rsqrt', fn: (x) => tf.rsqrt(x!), inputs: [pos([10, 3], 3)] },
  { name: 'square', fn: (x) => tf.square(x!), inputs: [rand([10, 3], 3)] },
  { name: 'log', fn: (x) => tf.log(x!), inputs: [pos([10, 3], 3)] },
  { name: 'relu', fn: (x) => tf.relu(x!), inputs: [rand([10, 3], 3)] },
  { name: 'sigmoid', fn: (x) => tf.sigmoid(x!), inputs: [rand([10, 3], 3, -4, 4)] },
  { name: 'abs', fn: (x) => tf.abs(x!), inputs: [rand([10, 3], 3)] },
  { name: 'reciprocal', fn: (x) => tf.reciprocal(x!), inputs: [pos([10, 3], 3)] },
  { name: 'sum last axis', fn: (x) => tf.sum(x!, -1), inputs: [rand([6, 5, 37], 4)] },
  { name: 'sum leading axes (bias grad)', fn: (x) => tf.sum(x!, [0, 1]), inputs: [rand([6, 5, 300], 4)] },
  { name: 'sum middle axis keepDims', fn: (x) => tf.sum(x!, 1, true), inputs: [rand([6, 5, 7], 4)] },
  { name: 'sum all', fn: (x) => tf.sum(x!), inputs: [rand([6, 5, 7], 4)] },
  { name: 'mean last axis keepDims', fn: (x) => tf.mean(x!, -1, true), inputs: [rand([6, 5, 37], 4)] },
  { name: 'max last axis', fn: (x) => tf.max(x!, -1), inputs: [rand([6, 5, 37], 4)] },
  { name: 'max leading axis', fn: (x) => tf.max(x!, 0), inputs: [rand([6, 5, 7], 4)] },
  { name: 'softmax', fn: (x) => tf.softmax(x!), inputs: [rand([4, 6, 65], 5, -4, 4)] },
  { name: 'concat last axis', fn: (a, b) => tf.concat([a!, b!], -1), inputs: [rand([3, 4, 5], 1), rand([3, 4, 2], 2)] },
  { name: 'concat axis 0', fn: (a, b) => tf.concat([a!, b!], 0), inputs: [rand([3, 4], 1), rand([2, 4], 2)] },
  { name: 'split (q,k,v)', fn: (x) => tf.split(x!, 3, -1), inputs: [rand([2, 5, 24], 6)] },
  { name: 'splitV uneven', fn: (x) => tf.split(x!, [1, 3], 1), inputs: [rand([3, 4, 2], 6)] },
  { name: 'identity / reshape chain', fn: (x) => tf.reshape(tf.clone(x!), [-1]), inputs: [rand([3, 4], 7)] },
  { name: 'gather rows (embedding lookup, repeated ids)', fn: (t, i) => tf.gather(t!, i!), inputs: [rand([11, 6], 8), ids([9], 11, 3)] },
  { name: 'gather rows, 2-D ids', fn: (t, i) => tf.gather(t!, i!), inputs: [rand([7, 5], 8), ids([3, 4], 7, 4)] },
  { name: 'linear x·w + b (fused on native)', fn: (x, w, b) => linear(x!, w!, b!), inputs: [rand([37, 20], 1), rand([20, 45], 2), rand([45], 3)] },
  { name: 'unsortedSegmentSum (embedding gradient)', fn: (x, i) => tf.unsortedSegmentSum(x!, i! as tf.Tensor1D, 13), inputs: [rand([40, 37], 9), ids([40], 13, 5)] },
  { name: 'transpose rank 4 (heads)', fn: (x) => tf.transpose(x!, [0, 2, 1, 3]), inputs: [rand([2, 5, 3, 4], 10)] },
  { name: 'transpose 2-D', fn: (x) => tf.transpose(x!), inputs: [rand([7, 9], 10)] },
  { name: 'slice 3-D', fn: (x) => tf.slice(x!, [1, 0, 2], [2, 3, 4]), inputs: [rand([4, 3, 7], 11)] },
  { name: 'pad (slice gradient)', fn: (x) => tf.pad(x!, [[1, 0], [0, 2], [3, 1]], 0.5), inputs: [rand([2, 3, 4], 12)] },
  { name: 'cast float32 → int32 → float32', fn: (x) => tf.cast(tf.cast(x!, 'int32'), 'float32'), inputs: [rand([5, 6], 13, -9, 9)] },
  { name: 'oneHot', fn: (i) => tf.oneHot(i! as tf.Tensor1D, 9), inputs: [ids([12], 9, 2)] },
  { name: 'addN', fn: (a, b, c) => tf.addN([a!, b!, c!]), inputs: [rand([4, 5], 1), rand([4, 5], 2), rand([4, 5], 3)] },
  { name: 'floor', fn: (x) => tf.floor(x!), inputs: [rand([10, 3], 3, -4, 4)] },
  { name: 'onesLike / zerosLike / fill', fn: (x) => [tf.onesLike(x!), tf.zerosLike(x!), tf.fill([3, 2], 2.5)], inputs: [rand([4, 3], 3)] },
];
