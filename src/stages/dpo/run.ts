/**
 * @fileoverview The dpo stage's body: preference pairs → token ids; the policy from a model
 * folder (through sft's startingPoint: template tokens, LoRA), the reference log-probs of
 * every pair from the same (still untrained) weights, computed once and cached in the
 * checkpoint folder; the DPO (or IPO) objective through the shared session; then held-out
 * rewards/accuracy/margin (TRL's eval_rewards/*), greedy samples before and after, and the
 * model folder written by sft's exportModel.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { errors } from '../../errors/index.js';
import { generate } from '../../model/sample.js';
import { fixedPairBatches, PairSource } from '../../preferences/batch.js';
import type { EncodedPair } from '../../preferences/encode.js';
import { cachedReference, computeReference, pairsKey } from '../../preferences/reference.js';
import { encodePrompt } from '../../sft/encode.js';
import { dpoObjective, halves, implicitRewards, PairStats, perToken, sequenceLogps, type DpoLossOptions } from '../../train/preference-objectives.js';
import { trainingEvents } from '../../train/events.js';
import { trainSession } from '../../train/session.js';
import { Trainer } from '../../train/trainer.js';
import { seedFrom } from '../../util/random.js';
import { backendLine, type StageContext } from '../define.js';
import type { DpoOptions } from '../options.gen.js';
import { describeOptim, loopOptions, trainerConfig, withPairMetrics } from '../reward/common.js';
import { preparePairs } from '../reward/data.js';
import { exportModel, startingPoint, type StartingPoint } from '../sft/model.js';
import { writeTuningReport } from '../sft/report.js';

/** Held-out implicit rewards and accuracy (TRL's eval_rewards/* names). */
export function evaluateDpo(sp: StartingPoint, pairs: EncodedPair[], reference: Float32Array, o: DpoLossOptions, batchSize: number, padId: number): Record<string, number> {
  const stats = new PairStats();
  const ipo = o.lossType === 'ipo';
  for (const b of fixedPairBatches(pairs, batchSize, padId, reference)) {
    const [c, r] = tf.tidy(() => {
      const [pc, pr] = halves(sequenceLogps(sp.model, b, false, ipo));
      const [rc, rr] = halves(tf.tensor1d(ipo ? perToken(b.reference!, b.completionTokens) : b.reference!));
      return [implicitRewards(pc, rc, o.beta).dataSync(), implicitRewards(pr, rr, o.beta).dataSync()];
    });
    stats.add(c!, r!);
  }
  return Object.fromEntries(Object.entries(stats.take() ?? {}).map(([k, v]) => [`eval_${k}`, v]));
}

/** Greedy continuations of the prompts (through the template when the data is chat-form). */
async function answer(sp: StartingPoint, prompts: string[], chat: boolean, maxTokens: number): Promise<string[]> {
  const stop = [sp.tokenizer.specialTokens.get(sp.template.endOfTurn), sp.tokenizer.eotId].filter((x): x is number => typeof x === 'number');
  const out: string[] = [];
  for (const p of prompts) {
    const ids = chat ? [...encodePrompt(sp.tokenizer, sp.template, [{ role: 'user', content: p }])] : sp.tokenizer.encode(p);
    const gen: number[] = [];
    for await (const id of generate(sp.model, ids, { maxTokens: Math.min(maxTokens, sp.config.block_size - ids.length), temperature: 0, stop })) if (!stop.includes(id)) gen.push(id);
    out.push(sp.tokenizer.decode(gen));
  }
  return out;
}

export async function runDpo(stage: StageContext, o: DpoOptions): Promise<void> {
  const events = trainingEvents(stage, o);
  const ctx = events.context;
  const modelDir = ctx.inputs.model?.[0]?.path;
  if (!modelDir) throw errors.stageInputAbsent({ type: 'dpo', kind: 'model' });
  const tensors = await ctx.tensors();
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:dpo`);
  const sp = await startingPoint(modelDir, o, seed);
  try {
    const { T, data, train, val, padId, steps } = await preparePairs(ctx, o, sp, 'dpo');
    const loss: DpoLossOptions = { beta: o.beta, lossType: o.loss_type, labelSmoothing: o.label_smoothing };
    ctx.log.info(`dpo: loss ${o.loss_type}, beta ${o.beta}, label_smoothing ${o.label_smoothing}, template ${sp.template.name}, ${describeOptim(o, steps, T)}, ` +
      (sp.lora ? `LoRA r=${sp.lora.r} alpha=${sp.lora.alpha}` : 'full fine-tuning') + '; reference = the input model, log-probs cached');
    const model = ctx.inputs.model![0]!.hash;
    const ref = (name: string, pairs: EncodedPair[]) =>
      cachedReference(join(ctx.checkpointDir, `reference-${name}.json`), pairsKey(pairs, model), () => computeReference(sp.model, pairs, o.batch_size, padId));
    const refTrain = await ref('train', train.pairs), refVal = await ref('validation', val.pairs);
    ctx.log.info(`${data.train.length} training / ${data.val.length} held-out pairs${data.heldOut ? ' (held out)' : ''} (${train.truncated + val.truncated} truncated); ` +
      `reference log-probs ${refTrain.cached && refVal.cached ? 'read from the cache' : 'computed once'}; ${backendLine(tensors)}, ${(sp.model.numTrainable() / 1e6).toFixed(3)}M trainable parameters`);
    const stats = new PairStats();
    const trainer = new Trainer(sp.model, { source: new PairSource(train.pairs, o.batch_size, padId, seed, refTrain.values), objective: dpoObjective({ ...loss, stats }) }, trainerConfig(o, steps, seed));
    try {
      const valBatches = fixedPairBatches(val.pairs, o.batch_size, padId, refVal.values);
      const validate = () => trainer.estimateLoss(valBatches);
      const chat = data.train[0]?.form === 'chat';
      const before = await answer(sp, o.prompts, chat, o.sample_tokens);
      const res = await trainSession(withPairMetrics(ctx, stats), trainer, { loop: loopOptions(o, steps), save: { keepLast: o.keep_last, eosId: padId }, validate, events });
      const after = await answer(sp, o.prompts, chat, o.sample_tokens);
      const metrics: Record<string, number> = { ...evaluateDpo(sp, val.pairs, refVal.values, loss, o.batch_size, padId), val_loss: validate(), steps: trainer.step, tokens_per_s: res.tokensPerS };
      ctx.log.info(`held-out: accuracy ${metrics['eval_rewards/accuracies']?.toFixed(3)}, margin ${metrics['eval_rewards/margins']?.toFixed(3)} ` +
        `(chosen ${metrics['eval_rewards/chosen']?.toFixed(3)}, rejected ${metrics['eval_rewards/rejected']?.toFixed(3)})`);
      await writeTuningReport(ctx, metrics, o.prompts, before, after);
      ctx.stats({ ...metrics, tokens_per_s: Math.round(res.tokensPerS), loss_type: o.loss_type });
      await exportModel(ctx.outputs.model!.dir, sp, ctx.inputs.model![0]!.from);
      await events.exportTo(ctx.outputs.model!.dir);
    } finally {
      trainer.dispose();
    }
  } finally {
    events.close();
    sp.model.dispose();
  }
}
