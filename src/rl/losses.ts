/**
 * @fileoverview PPO's losses on the response tokens of a minibatch, TF.js (TRL
 * `ppo_trainer.py`). All inputs are flat [N] over real tokens (padding already dropped), so
 * every mean is a plain mean:
 *
 *   ρ = exp(logπ − logπ_old)
 *   policy = mean(max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε)))
 *   value  = ½·mean(max((V − R)², (clip(V, V_old ± ε_v) − R)²))
 *   approx-KL = ½·mean((logπ − logπ_old)²),  clip fraction = share of tokens where the clipped term won
 */
import * as tf from '@tensorflow/tfjs-core';

/** Log-probs [N] of `targets` under softmax(logits/τ) — the distribution the rollout sampled from. logits [N, V]. */
export function tokenLogprobs(logits: tf.Tensor2D, targets: tf.Tensor1D, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(temperature !== 1 ? tf.div(logits, temperature) : logits); // [N, V]
    return tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[1])), 1) as tf.Tensor1D; // [N]
  });
}

/** Mean entropy of softmax(logits/τ) over the rows of logits [N, V]. */
export function meanEntropy(logits: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(temperature !== 1 ? tf.div(logits, temperature) : logits); // [N, V]
    return tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1))) as tf.Scalar;
  });
}

export interface PolicyLoss { loss: tf.Scalar; clipfrac: tf.Scalar; approxKl: tf.Scalar; ratio: tf.Scalar }

/** The clipped surrogate (to minimise) and its diagnostics. @param clip ε (TRL: 0.2) */
export function clippedPolicyLoss(logp: tf.Tensor1D, oldLogp: tf.Tensor1D, adv: tf.Tensor1D, clip: number): PolicyLoss {
  const diff = tf.sub(logp, oldLogp); // [N]
  const ratio = tf.exp(diff);
  const l1 = tf.mul(tf.neg(adv), ratio);
  const l2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - clip, 1 + clip));
  return {
    loss: tf.mean(tf.maximum(l1, l2)) as tf.Scalar,
    clipfrac: tf.mean(tf.cast(tf.greater(l2, l1), 'float32')) as tf.Scalar,
    approxKl: tf.mul(0.5, tf.mean(tf.square(diff))) as tf.Scalar,
    ratio: tf.mean(ratio) as tf.Scalar,
  };
}

export interface ValueLoss { loss: tf.Scalar; clipfrac: tf.Scalar }

/** The clipped value loss (½·mean of the larger squared error). @param clip ε_v (TRL: 0.2) */
export function clippedValueLoss(v: tf.Tensor1D, oldV: tf.Tensor1D, returns: tf.Tensor1D, clip: number): ValueLoss {
  const vClipped = tf.add(oldV, tf.clipByValue(tf.sub(v, oldV), -clip, clip)); // V_old + clip(V − V_old, ±ε_v)
  const e1 = tf.square(tf.sub(v, returns));
  const e2 = tf.square(tf.sub(vClipped, returns));
  return {
    loss: tf.mul(0.5, tf.mean(tf.maximum(e1, e2))) as tf.Scalar,
    clipfrac: tf.mean(tf.cast(tf.greater(e2, e1), 'float32')) as tf.Scalar,
  };
}
