/**
 * @fileoverview Objectives on preference pairs (./objective.ts): the reward model's
 * Bradley–Terry loss on a scalar head, and DPO's loss on sequence log-probabilities against
 * cached reference log-probabilities. A batch holds B pairs as 2·B right-padded rows (chosen
 * rows 0..B-1, rejected rows B..2B-1), so both sides go through one forward; causal attention
 * means padding at the end never changes the real tokens.
 *
 *   bradley–terry:  −log σ(r_c − r_r − m) + λ·(r_c + r_r)²          (TRL RewardTrainer)
 *   dpo sigmoid:    −(1−ε)·log σ(β·h) − ε·log σ(−β·h),  h = (π_c − ρ_c) − (π_r − ρ_r)
 *   ipo:            (h − 1/(2β))²  with π, ρ the mean log-prob per completion token  (TRL)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt.js';
import { crossEntropyRows, matmul, matmulNT } from '../model/ops.js';
import type { Objective } from './objective.js';

type T = tf.Tensor;

/** B preference pairs as 2·B padded rows of `cols` tokens. */
export interface PairBatch {
  /** Token ids [2B*T], row-major; chosen rows first. */
  x: Int32Array;
  /** Next-token targets [2B*T] on the completion tokens only, -1 elsewhere (DPO's log-probs). */
  y: Int32Array;
  rows: number;
  cols: number;
  /** Index within its row of each row's last real token [2B] (where the reward head reads). */
  last: Int32Array;
  /** Completion tokens per row [2B] (IPO's per-token mean). */
  completionTokens: Int32Array;
  /** Per-pair margin [B] (0 without). */
  margin: Float32Array;
  /** Which pairs (indices into the source's list) [B]. */
  pairs: Int32Array;
  /** Reference log-probs [2B] of the rows (DPO; filled from the cache). */
  reference?: Float32Array;
}

/** −log σ(x) = softplus(−x), stably: relu(−x) + log(1 + e^−|x|) (forward only). */
export function negLogSigmoid(x: T): T {
  return tf.add(tf.relu(tf.neg(x)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(x))))));
}

/** σ(x), forward only. */
const sigmoid = (x: T): T => tf.sigmoid(x);

/*
 * The losses below carry their gradients by hand (tf.customGrad): tfjs-core's Node bundle
 * registers no gradients for the elementwise ops they are made of (see src/model/grads.ts).
 */

/**
 * Bradley–Terry loss, mean over pairs: rewards [B] each, margin [B] (constant); `center` is
 * TRL's center_rewards_coefficient λ. With z = r_c − r_r − m:
 * ∂/∂r_c = (−σ(−z) + 2λ(r_c + r_r)) / B and ∂/∂r_r = (σ(−z) + 2λ(r_c + r_r)) / B.
 */
export function bradleyTerryLoss(chosen: T, rejected: T, margin: T, center = 0): T {
  const f = tf.customGrad((c: any, r: any, save: any) => {
    const z = tf.sub(tf.sub(c as T, r as T), margin); // [B]
    const sum = tf.add(c as T, r as T); // [B]
    const B = z.size;
    save([z, sum]);
    const bt = tf.mean(negLogSigmoid(z));
    return {
      value: center > 0 ? tf.add(bt, tf.mul(center, tf.mean(tf.square(sum)))) : bt, // scalar
      gradFunc: (dy: T, [sz, ss]: T[]) => {
        const p = tf.mul(sigmoid(tf.neg(sz!)), tf.div(dy, B)); // σ(−z)/B [B]
        const c2 = tf.mul(ss!, tf.div(tf.mul(dy, 2 * center), B)); // 2λ(r_c + r_r)/B [B]
        return [tf.sub(c2, p), tf.add(c2, p)];
      },
    };
  }) as unknown as (c: T, r: T) => T;
  return f(chosen, rejected);
}

export interface DpoLossOptions {
  /** KL strength β (TRL 0.1). */
  beta: number;
  /** `sigmoid` (DPO) or `ipo`. */
  lossType: 'sigmoid' | 'ipo';
  /** Conservative DPO's label smoothing ε (sigmoid only). @default 0 */
  labelSmoothing?: number;
}

/**
 * DPO loss (mean over pairs) from [B] log-probs of the policy (π, differentiable) and the
 * reference (ρ, constants); for IPO pass per-token means. With h = (π_c − ρ_c) − (π_r − ρ_r):
 * sigmoid ∂L/∂h = β·(−(1−ε)·σ(−βh) + ε·σ(βh)) / B; ipo ∂L/∂h = 2·(h − 1/(2β)) / B;
 * ∂/∂π_c = ∂L/∂h, ∂/∂π_r = −∂L/∂h.
 */
export function dpoLoss(pc: T, pr: T, rc: T, rr: T, o: DpoLossOptions): T {
  const eps = o.labelSmoothing ?? 0, beta = o.beta;
  const f = tf.customGrad((c: any, r: any, save: any) => {
    const h = tf.sub(tf.sub(c as T, rc), tf.sub(r as T, rr)); // [B]
    const B = h.size;
    save([h]);
    const z = tf.mul(h, beta);
    const value = o.lossType === 'ipo' ? tf.mean(tf.square(tf.sub(h, 1 / (2 * beta))))
      : tf.mean(tf.add(tf.mul(1 - eps, negLogSigmoid(z)), tf.mul(eps, negLogSigmoid(tf.neg(z)))));
    return {
      value, // scalar
      gradFunc: (dy: T, [sh]: T[]) => {
        const zz = tf.mul(sh!, beta);
        const dh = o.lossType === 'ipo' ? tf.mul(tf.sub(sh!, 1 / (2 * beta)), 2)
          : tf.mul(tf.sub(tf.mul(sigmoid(zz), eps), tf.mul(sigmoid(tf.neg(zz)), 1 - eps)), beta);
        const g = tf.mul(dh, tf.div(dy, B)); // [B]
        return [g, tf.neg(g)];
      },
    };
  }) as unknown as (c: T, r: T) => T;
  return f(pc, pr);
}

/** TRL's implicit rewards β·(π − ρ) of one side [B] (forward only, for metrics). */
export function implicitRewards(policy: T, reference: T, beta: number): T {
  return tf.mul(tf.sub(policy, reference), beta);
}

/** One-hot row selector [rows, rows*cols] picking each row's `last` token. */
function lastTokenSelector(rows: number, cols: number, last: ArrayLike<number>): T {
  const n = rows * cols;
  const sel = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) sel[r * n + r * cols + last[r]!] = 1;
  return tf.tensor2d(sel, [rows, n]);
}

/**
 * Scalar scores [rows] of right-padded sequences x [rows*cols]: the head [1, C] on the final
 * hidden state of each row's `last` token (GPT2ForSequenceClassification's read-out).
 */
export function scoresAt(model: GPT, head: T, x: Int32Array, rows: number, cols: number, last: ArrayLike<number>, training: boolean): T {
  const h = model.hidden(tf.tensor2d(x, [rows, cols], 'int32'), training); // [R*T, C]
  const at = matmul(lastTokenSelector(rows, cols, last), h); // [R, R*T] @ [R*T, C] → [R, C]
  return tf.reshape(matmulNT(at, head), [rows]); // [R, C] @ [1, C]ᵀ → [R]
}

/** Scalar rewards [2B] of a pair batch (see scoresAt). */
export function rewardScores(model: GPT, head: T, b: PairBatch, training: boolean): T {
  return scoresAt(model, head, b.x, b.rows, b.cols, b.last, training);
}

/** Summed (or, with `mean`, per-token mean) log-probs of each row's completion [2B]. */
export function sequenceLogps(model: GPT, b: PairBatch, training: boolean, mean = false): T {
  const logits = model.forward(tf.tensor2d(b.x, [b.rows, b.cols], 'int32'), training); // [2B*T, V]
  const ce = tf.reshape(crossEntropyRows(logits, tf.tensor1d(b.y, 'int32')), [b.rows, b.cols]); // [2B, T]; 0 off the completion
  const sum = tf.mul(tf.sum(ce, 1), -1); // [2B] (Multiply and Sum have gradients here, Neg and RealDiv not)
  return mean ? tf.mul(sum, tf.tensor1d(Float32Array.from(b.completionTokens, (n) => 1 / Math.max(1, n)))) : sum;
}

/** Splits a [2B] tensor into its chosen and rejected halves [B] each. */
export function halves(t: T): [T, T] {
  const B = t.shape[0]! / 2;
  return [tf.slice(t, [0], [B]), tf.slice(t, [B], [B])];
}

/** Running sums of the pair metrics of the batches a loss saw (read and reset once per step). */
export class PairStats {
  private sums = { chosen: 0, rejected: 0, correct: 0, margin: 0, pairs: 0 };

  add(chosen: ArrayLike<number>, rejected: ArrayLike<number>): void {
    for (let i = 0; i < chosen.length; i++) {
      const m = chosen[i]! - rejected[i]!;
      this.sums.chosen += chosen[i]!; this.sums.rejected += rejected[i]!; this.sums.margin += m;
      this.sums.correct += m > 0 ? 1 : 0; this.sums.pairs++;
    }
  }

  /** Means since the last take (TRL names), then reset; null when nothing was added. */
  take(): { 'rewards/chosen': number; 'rewards/rejected': number; 'rewards/accuracies': number; 'rewards/margins': number } | null {
    const s = this.sums;
    this.sums = { chosen: 0, rejected: 0, correct: 0, margin: 0, pairs: 0 };
    if (s.pairs === 0) return null;
    return { 'rewards/chosen': s.chosen / s.pairs, 'rewards/rejected': s.rejected / s.pairs, 'rewards/accuracies': s.correct / s.pairs, 'rewards/margins': s.margin / s.pairs };
  }
}

/** The reward model's objective: Bradley–Terry on `head` over the backbone's hidden states. */
export function bradleyTerryObjective(head: tf.Variable, o: { center: number; stats?: PairStats }): Objective<PairBatch> {
  return {
    name: 'bradley-terry',
    loss: (model, b, training) => {
      const [c, r] = halves(rewardScores(model, head, b, training));
      if (o.stats && training) o.stats.add(c.dataSync(), r.dataSync());
      return bradleyTerryLoss(c, r, tf.tensor1d(b.margin), o.center) as tf.Scalar;
    },
    tokens: (b) => b.rows * b.cols,
  };
}

/** DPO's objective against the batch's cached reference log-probs. */
export function dpoObjective(o: DpoLossOptions & { stats?: PairStats }): Objective<PairBatch> {
  return {
    name: `dpo-${o.lossType}`,
    loss: (model, b, training) => {
      if (!b.reference) throw new Error('dpo batch without reference log-probs');
      const [pc, pr] = halves(sequenceLogps(model, b, training, o.lossType === 'ipo'));
      const [rc, rr] = halves(tf.tensor1d(o.lossType === 'ipo' ? perToken(b.reference, b.completionTokens) : b.reference));
      if (o.stats && training) o.stats.add(implicitRewards(pc, rc, o.beta).dataSync(), implicitRewards(pr, rr, o.beta).dataSync());
      return dpoLoss(pc, pr, rc, rr, o) as tf.Scalar;
    },
    tokens: (b) => b.rows * b.cols,
  };
}

/** Summed log-probs → per-token means. */
export function perToken(sums: Float32Array, tokens: Int32Array): Float32Array {
  return Float32Array.from(sums, (s, i) => s / Math.max(1, tokens[i]!));
}
