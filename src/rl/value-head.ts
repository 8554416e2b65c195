/**
 * @fileoverview The value head of PPO's policy (TRL classic's AutoModelForCausalLMWithValueHead):
 * a scalar linear read of the policy's final hidden states, per token, sharing the backbone.
 * Zero-initialised, so the first values are 0 and the first advantages are the rewards.
 *
 *   V = h·w + b      h [N, C] → [N]
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../model/ops.js';

/** Parameter names, as stored beside the policy's in checkpoints. */
export const V_HEAD_WEIGHT = 'v_head.weight';
export const V_HEAD_BIAS = 'v_head.bias';

export class ValueHead {
  readonly weight: tf.Variable; // [C, 1]
  readonly bias: tf.Variable; // [1]

  constructor(nEmbd: number) {
    this.weight = tf.variable(tf.zeros([nEmbd, 1]), true);
    this.bias = tf.variable(tf.zeros([1]), true);
  }

  /** Values [N] of hidden states [N, C]. */
  values(h: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(linear(h, this.weight, this.bias), [-1]) as tf.Tensor1D; // [N, C] @ [C, 1] → [N]
  }

  /** The head's variables by name (added to the optimizer's trainable set). */
  variables(): Map<string, tf.Variable> {
    return new Map([[V_HEAD_WEIGHT, this.weight], [V_HEAD_BIAS, this.bias]]);
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}
