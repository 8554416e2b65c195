/**
 * @fileoverview One optimisation step and loss estimates, nanoGPT's inner loop:
 * micro-batches with gradient accumulation → global-norm clip → AdamW at the scheduled LR.
 * Every tensor made in a step is disposed in the step (tensor count stays flat).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TokenArray } from '../artifacts/tokens.js';
import type { GPT } from '../model/gpt.js';
import { Rng, seedFrom } from '../util/random.js';
import { AdamW, clipByGlobalNorm, type AdamWConfig } from './adamw.js';
import { BatchSampler, checkSplitLength, sampleBatch } from './data.js';
import { getLr, type LrSchedule } from './schedule.js';

export interface TrainerConfig {
  /** Sequences per micro-batch. @default 12 */
  batchSize: number;
  /** Micro-batches per optimizer step. @default 1 */
  gradAccum: number;
  /** Max global grad norm (0 = off). @default 1 */
  gradClip: number;
  schedule: LrSchedule;
  adamw: AdamWConfig;
  /** Seed of the batch sampler and dropout streams. */
  seed: number;
}

export interface StepResult { loss: number; lr: number; gradNorm: number }

export class Trainer {
  readonly opt: AdamW;
  readonly sampler: BatchSampler;
  /** Optimizer steps completed. */
  step = 0;

  constructor(readonly model: GPT, train: TokenArray, readonly config: TrainerConfig) {
    checkSplitLength(train, model.config.block_size, 'train');
    this.opt = new AdamW(model.params, config.adamw);
    this.sampler = new BatchSampler(train, config.batchSize, model.config.block_size, config.seed);
  }

  /** Tokens per optimizer step. */
  get tokensPerStep(): number {
    return this.config.batchSize * this.config.gradAccum * this.model.config.block_size;
  }

  /** Runs one optimizer step; returns a non-finite loss (and changes nothing) if the loss blew up. */
  trainStep(): StepResult {
    const { batchSize: B, gradAccum } = this.config;
    const T = this.model.config.block_size;
    const lr = getLr(this.step, this.config.schedule);
    this.model.seedDropout(seedFrom(`${this.config.seed}:dropout:${this.step}`));
    const vars = [...this.model.params.values()];
    let acc: Map<string, tf.Tensor> | null = null;
    let lossSum = 0;
    for (let k = 0; k < gradAccum; k++) {
      const batch = this.sampler.next();
      const { value, grads } = tf.tidy(() => {
        const x = tf.tensor2d(batch.x, [B, T], 'int32'); // [B, T]
        const y = tf.tensor2d(batch.y, [B, T], 'int32'); // [B, T]
        return tf.variableGrads(() => this.model.loss(x, y, true) as tf.Scalar, vars);
      });
      lossSum += value.dataSync()[0]!;
      value.dispose();
      acc = accumulate(acc, this.byName(grads), gradAccum);
    }
    const loss = lossSum / gradAccum;
    if (!Number.isFinite(loss)) {
      tf.dispose([...acc!.values()]);
      return { loss, lr, gradNorm: NaN };
    }
    const { norm, grads } = clipByGlobalNorm(acc!, this.config.gradClip);
    this.opt.step(this.model.params, grads, lr);
    tf.dispose([...grads.values()]);
    this.step += 1;
    return { loss, lr, gradNorm: norm };
  }

  /** Maps variableGrads' output (keyed by TF.js variable name) back to HF parameter names. */
  private byName(grads: tf.NamedTensorMap): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, v] of this.model.params) out.set(name, grads[v.name]!);
    return out;
  }

  /** Mean loss over `iters` batches drawn from a fresh PRNG (same batches every call); `split` names the data in errors. */
  estimateLoss(data: TokenArray, iters: number, seed: number, split = 'validation'): number {
    const rng = new Rng(seed);
    const T = this.model.config.block_size;
    let sum = 0;
    for (let i = 0; i < iters; i++) {
      const b = sampleBatch(data, this.config.batchSize, T, rng, split);
      const l = tf.tidy(() => this.model.loss(tf.tensor2d(b.x, [this.config.batchSize, T], 'int32'), tf.tensor2d(b.y, [this.config.batchSize, T], 'int32'), false));
      sum += l.dataSync()[0]!;
      l.dispose();
    }
    return sum / iters;
  }

  dispose(): void {
    this.opt.dispose();
  }
}

/** acc + g/n for each gradient (acc null on the first micro-batch); disposes its inputs. */
function accumulate(acc: Map<string, tf.Tensor> | null, grads: Map<string, tf.Tensor>, n: number): Map<string, tf.Tensor> {
  if (n === 1) return grads;
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) {
    const prev = acc?.get(name);
    out.set(name, tf.tidy(() => (prev ? tf.add(prev, tf.div(g, n)) : tf.div(g, n))));
    g.dispose();
    prev?.dispose();
  }
  return out;
}
