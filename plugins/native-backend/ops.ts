/**
 * @fileoverview Fused ops the model and trainer can call on every backend: they run the
 * Trainyard fused kernel when the active backend has it (`native`), and plain TF.js ops
 * otherwise. Same maths either way (tests compare the two).
 *
 *   import { layerNorm, gelu, softmaxCrossEntropy, adamwStep } from '../../plugins/native-backend/ops.js';
 *   const h = layerNorm(x, gamma, beta, 1e-5);       // [B, T, C]
 *   const loss = tf.mean(softmaxCrossEntropy(logits, targets)); // logits [B, T, V], targets int32 [B, T]
 */
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { registerFusedGradients } from './gradients.js';
import * as K from './kernel-names.js';

/** True when the active backend registers `kernelName`. */
export function hasFusedKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

function runFused(kernelName: string, inputs: Record<string, Tensor>, attrs: Record<string, number> = {}): Tensor | Tensor[] {
  registerFusedGradients();
  return tf.engine().runKernel(kernelName, inputs as never, attrs);
}

/**
 * LayerNorm over the last axis (biased variance, like PyTorch).
 * @param epsilon @default 1e-5
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, epsilon = 1e-5): Tensor {
  if (hasFusedKernel(K.TrainyardLayerNorm)) return runFused(K.TrainyardLayerNorm, { x, gamma, beta }, { epsilon }) as Tensor;
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // [..., 1]
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
  });
}

/** GELU, tanh approximation (GPT-2's `new_gelu`). */
export function gelu(x: Tensor): Tensor {
  if (hasFusedKernel(K.TrainyardGelu)) return runFused(K.TrainyardGelu, { x }) as Tensor;
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

/**
 * Per-position cross-entropy of softmax(logits) against integer labels.
 * @param logits [..., V] float32
 * @param labels [...] int32; a label < 0 contributes loss 0 (ignore index)
 * @returns [...] losses (take the mean yourself)
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  if (hasFusedKernel(K.TrainyardSoftmaxCrossEntropy)) return runFused(K.TrainyardSoftmaxCrossEntropy, { logits, labels }) as Tensor;
  return tf.tidy(() => {
    const v = logits.shape[logits.shape.length - 1]!;
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), v); // [..., V]; zeros for label < 0
    return tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
  });
}

export interface AdamWOptions {
  lr: number;
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-8 */
  epsilon?: number;
  /** Decoupled weight decay (PyTorch AdamW). @default 0 */
  weightDecay?: number;
  /** 1-based step number, for bias correction. */
  step: number;
}

/**
 * One AdamW step (PyTorch semantics) for one parameter: assigns new values to `param`, `m`, `v`.
 * On the native backend this is a single kernel instead of ~15.
 */
export function adamwStep(param: Variable, grad: Tensor, m: Variable, v: Variable, o: AdamWOptions): void {
  const attrs = { lr: o.lr, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-8, weightDecay: o.weightDecay ?? 0, step: o.step };
  if (hasFusedKernel(K.TrainyardAdamW)) {
    const [p1, m1, v1] = runFused(K.TrainyardAdamW, { param, grad, m, v }, attrs) as [Tensor, Tensor, Tensor];
    param.assign(p1); m.assign(m1); v.assign(v1);
    tf.dispose([p1, m1, v1]);
    return;
  }
  tf.tidy(() => {
    const m1 = tf.add(tf.mul(attrs.beta1, m), tf.mul(1 - attrs.beta1, grad));
    const v1 = tf.add(tf.mul(attrs.beta2, v), tf.mul(1 - attrs.beta2, tf.square(grad)));
    const mHat = tf.div(m1, 1 - attrs.beta1 ** attrs.step);
    const vHat = tf.div(v1, 1 - attrs.beta2 ** attrs.step);
    const decayed = tf.mul(param, 1 - attrs.lr * attrs.weightDecay);
    param.assign(tf.sub(decayed, tf.mul(attrs.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), attrs.epsilon)))));
    m.assign(m1); v.assign(v1);
  });
}
