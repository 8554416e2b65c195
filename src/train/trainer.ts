/**
 * @fileoverview One optimisation step and loss estimates, nanoGPT's inner loop, for any
 * objective (./objective.ts): micro-batches with gradient accumulation → global-norm clip →
 * AdamW at the scheduled LR over the task's trainable variables. Every tensor made in a step
 * is disposed in the step (tensor count stays flat).
 *
 *   new Trainer(model, trainTokens, config)                          // pretraining (LM loss on random windows)
 *   new Trainer(model, { source, objective: maskedLmObjective }, c)  // sft
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TokenArray } from '../artifacts/tokens.js';
import type { GPT } from '../model/gpt.js';
import { seedFrom } from '../util/random.js';
import { AdamW, globalNormScale, type AdamWConfig } from './adamw.js';
import { BatchSampler, checkSplitLength } from './data.js';
import { lmObjective, type BatchSource, type Objective, type TokenBatch, type TrainingTask } from './objective.js';
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

/** A task (batches + objective), or a token array for the language-model objective on random windows. */
export type TaskOrTokens<B> = TrainingTask<B> | TokenArray;

function isTokens<B>(t: TaskOrTokens<B>): t is TokenArray {
  return ArrayBuffer.isView(t);
}

export class Trainer<B = TokenBatch> {
  readonly opt: AdamW;
  readonly source: BatchSource<B>;
  readonly objective: Objective<B>;
  /** Variables the optimizer updates, by name. */
  readonly trainable: Map<string, tf.Variable>;
  /** Optimizer steps completed. */
  step = 0;
  /** Tokens fed by the last step (for tokens/s). */
  lastTokens = 0;

  constructor(readonly model: GPT, task: TaskOrTokens<B>, readonly config: TrainerConfig) {
    let t: TrainingTask<B>;
    if (isTokens(task)) {
      checkSplitLength(task, model.config.block_size, 'train');
      t = { source: new BatchSampler(task, config.batchSize, model.config.block_size, config.seed), objective: lmObjective } as unknown as TrainingTask<B>;
    } else t = task;
    this.source = t.source;
    this.objective = t.objective;
    this.trainable = t.trainable ?? model.trainable();
    this.opt = new AdamW(this.trainable, config.adamw);
  }

  /** Tokens per optimizer step (rows × block size × accumulation). */
  get tokensPerStep(): number {
    return this.config.batchSize * this.config.gradAccum * this.model.config.block_size;
  }

  /** Runs one optimizer step; returns a non-finite loss (and changes nothing) if the loss blew up. */
  trainStep(): StepResult {
    const { gradAccum } = this.config;
    const lr = getLr(this.step, this.config.schedule);
    this.model.seedDropout(seedFrom(`${this.config.seed}:dropout:${this.step}`));
    const vars = [...this.trainable.values()];
    let acc: Map<string, tf.Tensor> | null = null;
    let lossSum = 0;
    this.lastTokens = 0;
    for (let k = 0; k < gradAccum; k++) {
      const batch = this.source.next();
      this.lastTokens += this.objective.tokens(batch);
      const { value, grads } = tf.tidy(() => tf.variableGrads(() => this.objective.loss(this.model, batch, true), vars));
      lossSum += value.dataSync()[0]!;
      value.dispose();
      acc = accumulate(acc, this.byName(grads), gradAccum);
    }
    const loss = lossSum / gradAccum;
    if (!Number.isFinite(loss)) {
      tf.dispose([...acc!.values()]);
      return { loss, lr, gradNorm: NaN };
    }
    const { norm, scale } = globalNormScale(acc!, this.config.gradClip);
    this.opt.step(this.trainable, acc!, lr, scale);
    tf.dispose([...acc!.values()]);
    this.step += 1;
    return { loss, lr, gradNorm: norm };
  }

  /** Maps variableGrads' output (keyed by TF.js variable name) back to parameter names. */
  private byName(grads: tf.NamedTensorMap): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, v] of this.trainable) out.set(name, grads[v.name]!);
    return out;
  }

  /** Mean objective loss (no dropout) over the given batches, e.g. fixed validation batches. */
  estimateLoss(batches: Iterable<B>): number {
    let sum = 0;
    let n = 0;
    for (const b of batches) {
      const l = tf.tidy(() => this.objective.loss(this.model, b, false));
      sum += l.dataSync()[0]!;
      l.dispose();
      n++;
    }
    return n > 0 ? sum / n : NaN;
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
