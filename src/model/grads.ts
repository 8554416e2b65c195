/**
 * @fileoverview Gradients of the few built-in kernels the model differentiates through.
 * tfjs-core's Node bundle ships no gradients (the `@tensorflow/tfjs` union package registers
 * them); rather than pull in layers/converter/webgl for that, we register exactly the nine
 * the model needs (Sum only for losses built from plain ops), following tfjs-core's own `gradients/*_grad.ts`. Everything else on the
 * training path has a hand-written gradient in ./ops.ts.
 */
import * as tf from '@tensorflow/tfjs-core';

type T = tf.Tensor;

/** Sums `dy` over the axes that were broadcast to reach it, back to `shape`. */
function unbroadcast(dy: T, shape: number[]): T {
  const axes = tf.backend_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

const configs: tf.GradConfig[] = [
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _saved, attrs) => {
      const perm = (attrs as { perm: number[] }).perm;
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => { inv[p] = i; });
      return { x: () => tf.transpose(dy as T, inv) };
    },
  },
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.reshape(dy as T, saved[0]!.shape) }),
  },
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => ({
      a: () => unbroadcast(dy as T, saved[0]!.shape),
      b: () => unbroadcast(dy as T, saved[1]!.shape),
    }),
  },
  {
    kernelName: 'Multiply',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [T, T];
      return {
        a: () => unbroadcast(tf.mul(dy as T, tf.cast(b, 'float32')), a.shape),
        b: () => unbroadcast(tf.mul(dy as T, tf.cast(a, 'float32')), b.shape),
      };
    },
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const a = attrs as { begin: number[] | number; size: number[] | number };
      const [begin, size] = tf.slice_util.parseSliceParams(x, a.begin, a.size) as [number[], number[]];
      const pad = x.shape.map((d, i) => [begin[i]!, d - begin[i]! - size[i]!] as [number, number]);
      return { x: () => tf.pad(dy as T, pad) };
    },
  },
  {
    kernelName: 'SplitV',
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as T[], (attrs as { axis: number }).axis) }),
  },
  {
    // The token embedding of a LoRA run with added tokens: concat(frozen rows, new rows).
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam((attrs as { axis: number }).axis, saved[0]!.shape)[0]!;
      const parts = tf.split(dy as T, saved.map((t) => t.shape[axis]!), axis);
      return parts.map((p) => () => p) as unknown as ReturnType<tf.GradConfig["gradFunc"]>;
    },
  },
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return { x: () => tf.mul(tf.reshape(dy as T, kept), tf.ones(x.shape)) };
    },
  },
  {
    kernelName: 'Softmax',
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const y = saved[0]!;
      const dim = (attrs as { dim: number }).dim;
      const dyy = tf.mul(dy as T, y);
      return { logits: () => tf.sub(dyy, tf.mul(tf.sum(dyy, [dim], true), y)) };
    },
  },
];

let registered = false;

/** Registers the gradients once per process (skipping any a union package already registered). */
export function registerGradients(): void {
  if (registered) return;
  registered = true;
  for (const c of configs) if (!tf.getGradient(c.kernelName)) tf.registerGradient(c);
}
