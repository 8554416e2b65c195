/**
 * @fileoverview What changes between training stages: the batches and the loss. The loop,
 * optimizer, schedule, clipping, accumulation, checkpoints and validation (./trainer.ts,
 * ./loop.ts) are shared; a stage supplies a `TrainingTask` — a batch source whose position is
 * checkpointed and an objective that turns a batch into a scalar loss — the way TRL's trainers
 * share one Trainer underneath.
 *
 *   pretrain  → lmObjective over random windows (nanoGPT's get_batch, ./data.ts)
 *   sft       → maskedLmObjective over packed conversations (targets -1 are not trained on)
 *   reward, dpo, ppo (next) → their own batch type and loss
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT, PackedLayout } from '../model/gpt.js';

/** A batch of token windows: B rows of T ids (row-major), targets aligned with inputs. */
export interface TokenBatch {
  /** Inputs [B*T]. */
  x: Int32Array;
  /** Targets [B*T]: the next token, or -1 where nothing is trained on (masked objectives). */
  y: Int32Array;
  /** Rows (B) and columns (T). */
  rows: number;
  cols: number;
  /** Several samples per row (packing): per-token sample index and position. */
  layout?: PackedLayout;
}

/** A stream of batches whose position is saved in checkpoints (exact resume). */
export interface BatchSource<B> {
  next(): B;
  /** JSON-serialisable position; assigning a saved value resumes the stream there. */
  state: unknown;
}

export interface Objective<B> {
  /** Name shown in logs (`lm`, `masked-lm`, …). */
  readonly name: string;
  /** Scalar loss of one micro-batch; called inside tf.variableGrads / tf.tidy. */
  loss(model: GPT, batch: B, training: boolean): tf.Scalar;
  /** Tokens the batch feeds the model (for tokens/s). */
  tokens(batch: B): number;
}

/** The data and loss of a training stage (see Trainer). */
export interface TrainingTask<B> {
  source: BatchSource<B>;
  objective: Objective<B>;
  /** Variables the optimizer updates (LoRA: adapters only). @default model.trainable() */
  trainable?: Map<string, tf.Variable>;
}

function ids(a: Int32Array, b: TokenBatch): tf.Tensor2D {
  return tf.tensor2d(a, [b.rows, b.cols], 'int32');
}

/** Next-token cross-entropy averaged over every position (pretraining). */
export const lmObjective: Objective<TokenBatch> = {
  name: 'lm',
  loss: (model, b, training) => model.loss(ids(b.x, b), ids(b.y, b), training) as tf.Scalar,
  tokens: (b) => b.rows * b.cols,
};

/**
 * Next-token cross-entropy averaged over the supervised positions only (targets ≥ 0), with the
 * batch's packing layout (block-diagonal attention, positions reset per sample). A batch with
 * no supervised position has loss 0 and no gradient.
 */
export const maskedLmObjective: Objective<TokenBatch> = {
  name: 'masked-lm',
  loss: (model, b, training) => model.maskedLoss(ids(b.x, b), b.y, training, b.layout) as tf.Scalar,
  tokens: (b) => b.rows * b.cols,
};
