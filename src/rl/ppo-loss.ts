/**
 * @fileoverview PPO's total loss as one op with a hand-written gradient (tfjs-core's Node
 * bundle ships few gradients, see src/model/grads.ts), and a row gather with its gradient.
 * Per token i of N, with z = logits/τ, logp_i = log softmax(z)[target], ρ = exp(logp − logp_old):
 *
 *   L = mean(max(−Aρ, −A·clip(ρ))) + c_v·½·mean(max((V−R)², (V_c−R)²)) − c_e·mean(H)
 *   ∂L/∂logp_i = −A_iρ_i/N where the unclipped term wins, else 0 (clip active ⇒ flat)
 *   ∂logp_i/∂z = onehot − p;   ∂H_i/∂z = −p·(log p + H_i);   ∂/∂logits = ∂/∂z / τ
 *   ∂L/∂V_i = c_v·(V_i − R_i)/N where the unclipped error wins, else 0
 */
import * as tf from '@tensorflow/tfjs-core';
import { matmul } from '../model/ops.js';

export interface PpoLossInputs {
  targets: tf.Tensor1D;
  oldLogp: tf.Tensor1D;
  advantages: tf.Tensor1D;
  oldValues: tf.Tensor1D;
  returns: tf.Tensor1D;
}

export interface PpoLossConfig { temperature: number; clip: number; valueClip: number; vfCoef: number; entropyCoef: number }

/**
 * x [M, C] → rows idx [N, C], as a one-hot selection matmul S·x with S [N, M] (its gradient
 * Sᵀ·dy comes from the model's matmul; the wasm kernels have no UnsortedSegmentSum).
 */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  return matmul(tf.oneHot(idx, x.shape[0]), x) as tf.Tensor2D; // [N, M] @ [M, C] → [N, C]
}

/** The scalar PPO loss of logits [N, V] and values [N]. */
export function ppoLoss(logits: tf.Tensor2D, values: tf.Tensor1D, d: PpoLossInputs, c: PpoLossConfig): tf.Scalar {
  const f = tf.customGrad((lg: any, v: any, save: any) => {
    const N = (lg as tf.Tensor).shape[0]!;
    const V = (lg as tf.Tensor).shape[1]!;
    const z = tf.div(lg as tf.Tensor, c.temperature);
    const logpAll = tf.logSoftmax(z); // [N, V]
    const p = tf.exp(logpAll);
    const hot = tf.oneHot(d.targets, V);
    const logp = tf.sum(tf.mul(logpAll, hot), 1); // [N]
    const ratio = tf.exp(tf.sub(logp, d.oldLogp));
    const l1 = tf.mul(tf.neg(d.advantages), ratio);
    const l2 = tf.mul(tf.neg(d.advantages), tf.clipByValue(ratio, 1 - c.clip, 1 + c.clip));
    const H = tf.neg(tf.sum(tf.mul(p, logpAll), 1)); // [N]
    const vc = tf.add(d.oldValues, tf.clipByValue(tf.sub(v as tf.Tensor, d.oldValues), -c.valueClip, c.valueClip));
    const e1 = tf.square(tf.sub(v as tf.Tensor, d.returns)), e2 = tf.square(tf.sub(vc, d.returns));
    const value = tf.sub(tf.add(tf.mean(tf.maximum(l1, l2)), tf.mul(c.vfCoef * 0.5, tf.mean(tf.maximum(e1, e2)))), tf.mul(c.entropyCoef, tf.mean(H)));
    const gLogp = tf.div(tf.where(tf.greaterEqual(l1, l2), l1, tf.zerosLike(l1)), N); // −Aρ/N where unclipped
    const dz = tf.add(
      tf.mul(tf.expandDims(gLogp, 1), tf.sub(hot, p)),
      tf.mul(c.entropyCoef / N, tf.mul(p, tf.add(logpAll, tf.expandDims(H, 1)))), // −c_e/N · ∂H/∂z
    );
    const dLogits = tf.div(dz, c.temperature);
    const dV = tf.mul(c.vfCoef / N, tf.where(tf.greaterEqual(e1, e2), tf.sub(v as tf.Tensor, d.returns), tf.zerosLike(e1)));
    save([dLogits, dV]); // kept for the backward pass (customGrad disposes the rest)
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(saved[0]!, dy), tf.mul(saved[1]!, dy)] };
  });
  return f(logits, values) as tf.Scalar;
}
