/**
 * @fileoverview The reward stage's body: preference pairs → token ids; the backbone (a model
 * folder) plus a scalar head `score.weight` [1, C] (N(0, score_init_std²), HF's
 * initializer_range) read at the last real token of prompt ⊕ completion; Bradley–Terry loss
 * (optional per-pair margin and centering term) trained through the shared session, full
 * fine-tuning; then held-out accuracy, mean margin, the rewards' correlation with completion
 * length (warned about above a threshold), and the GPT2ForSequenceClassification folder with
 * reward_stats.json (mean/std of held-out rewards, for PPO's normalisation).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { errors } from '../../errors/index.js';
import { fixedPairBatches, PairSource } from '../../preferences/batch.js';
import type { EncodedPair } from '../../preferences/encode.js';
import { saveRewardFolder, SCORE_WEIGHT, type RewardStats } from '../../preferences/reward-model.js';
import { bradleyTerryObjective, halves, PairStats, rewardScores } from '../../train/preference-objectives.js';
import { trainingEvents } from '../../train/events.js';
import { trainSession } from '../../train/session.js';
import { Trainer } from '../../train/trainer.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { Rng, seedFrom } from '../../util/random.js';
import type { GPT } from '../../model/gpt.js';
import { backendLine, type StageContext } from '../define.js';
import type { RewardOptions } from '../options.gen.js';
import { startingPoint, tokenizerConfigOf } from '../sft/model.js';
import { describeOptim, loopOptions, pearson, trainerConfig, withPairMetrics } from './common.js';
import { preparePairs } from './data.js';

/** Held-out figures of a reward model. */
export interface RewardEval { accuracy: number; mean_margin: number; length_correlation: number; stats: RewardStats }

/** Scores every held-out pair: accuracy (r_c > r_r), mean r_c − r_r, corr(reward, completion length), reward mean/std. */
export function evaluateRewards(model: GPT, head: tf.Tensor, pairs: EncodedPair[], batchSize: number, padId: number): RewardEval {
  const rewards: number[] = [], lengths: number[] = [];
  let correct = 0, margin = 0;
  for (const b of fixedPairBatches(pairs, batchSize, padId)) {
    const [c, r] = tf.tidy(() => halves(rewardScores(model, head, b, false)).map((t) => t.dataSync()));
    for (let i = 0; i < c!.length; i++) { correct += c![i]! > r![i]! ? 1 : 0; margin += c![i]! - r![i]!; }
    rewards.push(...c!, ...r!);
    lengths.push(...b.completionTokens);
  }
  const n = rewards.length;
  const mean = rewards.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(rewards.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { accuracy: correct / pairs.length, mean_margin: margin / pairs.length, length_correlation: pearson(rewards, lengths), stats: { mean, std, samples: n } };
}

function initHead(C: number, std: number, seed: number): tf.Variable {
  const rng = new Rng(seed);
  const w = Float32Array.from({ length: C }, () => std * rng.normal());
  return tf.variable(tf.tensor2d(w, [1, C]), true);
}

export async function runReward(stage: StageContext, o: RewardOptions): Promise<void> {
  const events = trainingEvents(stage, o);
  const ctx = events.context;
  const modelDir = ctx.inputs.model?.[0]?.path;
  if (!modelDir) throw errors.stageInputAbsent({ type: 'reward', kind: 'model' });
  const tensors = await ctx.tensors();
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:reward`);
  const sp = await startingPoint(modelDir, { template: o.template, dropout: o.dropout }, seed);
  const head = initHead(sp.config.n_embd, o.score_init_std, seed + 2);
  try {
    const { T, data, train, val, padId, steps } = await preparePairs(ctx, o, sp, 'reward');
    ctx.log.info(`reward: Bradley–Terry, center_rewards_coefficient ${o.center_rewards_coefficient}, score head N(0, ${o.score_init_std}²) at the last token, ` +
      `${describeOptim(o, steps, T)}, full fine-tuning; length-correlation warning above ${o.length_correlation_warn}`);
    ctx.log.info(`${data.train.length} training / ${data.val.length} held-out pairs${data.heldOut ? ' (held out)' : ''} (${train.truncated + val.truncated} truncated); ${backendLine(tensors)}, ${((sp.model.numParams() + sp.config.n_embd) / 1e6).toFixed(3)}M parameters`);
    const stats = new PairStats();
    const trainable = new Map([...sp.model.trainable(), [SCORE_WEIGHT, head]]);
    const objective = bradleyTerryObjective(head, { center: o.center_rewards_coefficient, stats });
    const trainer = new Trainer(sp.model, { source: new PairSource(train.pairs, o.batch_size, padId, seed), objective, trainable }, trainerConfig(o, steps, seed));
    try {
      const valBatches = fixedPairBatches(val.pairs, o.batch_size, padId);
      const validate = () => trainer.estimateLoss(valBatches);
      const base = evaluateRewards(sp.model, head, val.pairs, o.batch_size, padId);
      const res = await trainSession(withPairMetrics(ctx, stats), trainer, { loop: loopOptions(o, steps), save: { keepLast: o.keep_last, eosId: padId }, validate, events });
      const ev = evaluateRewards(sp.model, head, val.pairs, o.batch_size, padId);
      const metrics = {
        accuracy: ev.accuracy, mean_margin: ev.mean_margin, length_correlation: ev.length_correlation, base_accuracy: base.accuracy,
        reward_mean: ev.stats.mean, reward_std: ev.stats.std, val_loss: validate(), steps: trainer.step, tokens_per_s: res.tokensPerS,
      };
      for (const [k, v] of Object.entries(metrics)) ctx.metric(k, v);
      ctx.log.info(`held-out accuracy ${base.accuracy.toFixed(3)} → ${ev.accuracy.toFixed(3)}, mean margin ${ev.mean_margin.toFixed(3)}, rewards ${ev.stats.mean.toFixed(3)} ± ${ev.stats.std.toFixed(3)}`);
      if (Math.abs(ev.length_correlation) > o.length_correlation_warn) {
        ctx.log.warn(`reward correlates with completion length (Pearson ${ev.length_correlation.toFixed(3)} on ${ev.stats.samples} held-out completions, above ${o.length_correlation_warn}): the model may reward length rather than quality`);
      }
      ctx.stats({ ...metrics, tokens_per_s: Math.round(res.tokensPerS) });
      await writeFileAtomic(join(ctx.outputs.report!.dir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
      await saveRewardFolder(ctx.outputs.model!.dir, {
        config: sp.config, weights: await sp.model.weights(), score: (await head.data()) as Float32Array,
        tokenizerJson: JSON.stringify(sp.tokenizer.toJSON()), padId, stats: ev.stats, tokenizerConfig: tokenizerConfigOf(sp.template, sp.config.block_size),
      });
      await events.exportTo(ctx.outputs.model!.dir);
    } finally {
      trainer.dispose();
    }
  } finally {
    events.close();
    head.dispose();
    sp.model.dispose();
  }
}
