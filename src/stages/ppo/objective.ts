/**
 * @fileoverview PPO's objective for the shared Trainer: on one minibatch of the rollout buffer,
 * clipped policy loss + vf_coef · clipped value loss − entropy_coef · entropy (TRL), with the
 * minibatch's diagnostics (clip fractions, approx-KL, ratio, entropy) handed to the source.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Objective } from '../../train/objective.js';
import { clippedPolicyLoss, clippedValueLoss, meanEntropy, ppoLoss, type ValueHead } from '../../rl/index.js';
import { policyOutputs } from './policy.js';
import type { PpoBatch, RolloutSource } from './source.js';

export interface PpoLossConfig {
  temperature: number;
  clip: number;
  valueClip: number;
  vfCoef: number;
  entropyCoef: number;
}

export function ppoObjective(head: ValueHead, source: RolloutSource, c: PpoLossConfig): Objective<PpoBatch> {
  return {
    name: 'ppo',
    loss(model, b) {
      const o = policyOutputs(model, head, b.seq, c.temperature, false); // no dropout in PPO (TRL)
      const d = { targets: tf.tensor1d(b.seq.targets, 'int32'), oldLogp: tf.tensor1d(b.oldLogp), advantages: tf.tensor1d(b.advantages), oldValues: tf.tensor1d(b.oldValues), returns: tf.tensor1d(b.returns) };
      const loss = ppoLoss(o.logits, o.values!, d, c);
      // diagnostics, forward only (the same formulas, off the tape's gradient path)
      const pg = clippedPolicyLoss(o.logp, d.oldLogp, d.advantages, c.clip);
      const vf = clippedValueLoss(o.values!, d.oldValues, d.returns, c.valueClip);
      const entropy = meanEntropy(o.logits, c.temperature);
      const read = (t: tf.Scalar) => t.dataSync()[0]!;
      source.observe(b, {
        policy_loss: read(pg.loss), value_loss: read(vf.loss), clipfrac: read(pg.clipfrac), value_clipfrac: read(vf.clipfrac),
        approx_kl: read(pg.approxKl), ratio: read(pg.ratio), policy_entropy: read(entropy),
      });
      return loss;
    },
    tokens: (b) => b.seq.rows * b.seq.cols,
  };
}
