/**
 * @fileoverview The sft stage's body: conversations → template → tokens with a label mask →
 * packed windows; the base model (with LoRA when asked) trained on the masked language-model
 * objective through the shared session (resume, loop, checkpoints); then the merged model
 * folder, the label-mask report, validation losses before and after, and prompt samples
 * before and after, side by side.
 */
import { join } from 'node:path';
import { backendLine, type StageContext } from '../define.js';
import type { SftOptions } from '../options.gen.js';
import { errors } from '../../errors/index.js';
import { generate } from '../../model/sample.js';
import { encodePrompt } from '../../sft/encode.js';
import { checkMaskShare, maskReport, writeMaskReport } from '../../sft/mask-report.js';
import type { Window } from '../../sft/pack.js';
import { maskedLmObjective } from '../../train/objective.js';
import { trainingEvents } from '../../train/events.js';
import { trainSession } from '../../train/session.js';
import { Trainer } from '../../train/trainer.js';
import { hashFile } from '../../util/hash.js';
import { seedFrom } from '../../util/random.js';
import { encodeAll, fixedBatches, loadConversations, WindowSource } from './data.js';
import { writeTuningReport } from './report.js';
import { adaptedModules, exportModel, startingPoint, type StartingPoint } from './model.js';
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../../model/gpt.js';

/** Supervised-token-weighted mean loss over fixed windows (exact, independent of batching). */
function validationLoss(model: GPT, ws: Window[], batchSize: number, T: number): number {
  let sum = 0;
  let n = 0;
  for (const b of fixedBatches(ws, batchSize, T)) {
    const losses = tf.tidy(() => model.tokenLosses(tf.tensor2d(b.x, [b.rows, b.cols], 'int32'), b.y, b.layout));
    const l = losses.dataSync();
    losses.dispose();
    for (let i = 0; i < b.y.length; i++) if (b.y[i]! >= 0) { sum += l[i]!; n++; }
  }
  return n > 0 ? sum / n : NaN;
}

/** Greedy answers to the prompts, through the template, stopping at the end of the turn. */
async function answer(sp: StartingPoint, prompts: string[], maxTokens: number): Promise<string[]> {
  const stop = [sp.tokenizer.specialTokens.get(sp.template.endOfTurn), sp.tokenizer.eotId].filter((x): x is number => typeof x === 'number');
  const out: string[] = [];
  for (const p of prompts) {
    const ids = [...encodePrompt(sp.tokenizer, sp.template, [{ role: 'user', content: p }])];
    const gen: number[] = [];
    for await (const id of generate(sp.model, ids, { maxTokens, temperature: 0, stop })) if (!stop.includes(id)) gen.push(id);
    out.push(sp.tokenizer.decode(gen));
  }
  return out;
}

/** Refuses a `tokenizer` input that is not the model's tokenizer (both hashes shown). */
async function checkTokenizerInput(ctx: StageContext, modelDir: string, modelHash: string): Promise<void> {
  const dir = ctx.inputs.tokenizer?.[0]?.path;
  if (!dir) return;
  const dataHash = await hashFile(join(dir, 'tokenizer.json'));
  if (dataHash !== modelHash) throw errors.sftTokenizerMismatch({ model: modelHash, data: dataHash, modelPath: join(modelDir, 'tokenizer.json') });
}

function describe(o: SftOptions, sp: StartingPoint, T: number, steps: number): string {
  const lora = sp.lora ? `LoRA r=${sp.lora.r} alpha=${sp.lora.alpha} dropout=${sp.lora.dropout} on ${sp.lora.targets.join(',')} (${adaptedModules(sp)} modules)` : 'full fine-tuning';
  return `sft: template ${sp.template.name}, train_on ${o.train_on}, packing ${o.packing}, block_size ${T}, ${steps} steps × ${o.batch_size}×${o.grad_accum} windows, ` +
    `lr ${o.lr}→${o.min_lr} (warmup ${o.warmup_steps}), AdamW β=(${o.beta1}, ${o.beta2}) wd ${o.weight_decay}, clip ${o.grad_clip}, ${lora}` +
    (sp.added.length ? `; added special tokens ${sp.added.join(' ')} (embedding ${sp.baseVocab} → ${sp.config.vocab_size} rows)` : '');
}

export async function runSft(stage: StageContext, o: SftOptions): Promise<void> {
  const events = trainingEvents(stage, o);
  const ctx = events.context;
  const modelDir = ctx.inputs.model?.[0]?.path;
  if (!modelDir) throw errors.stageInputAbsent({ type: 'sft', kind: 'model' });
  const tensors = await ctx.tensors();
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:sft`);
  const sp = await startingPoint(modelDir, o, seed);
  try {
    await checkTokenizerInput(ctx, modelDir, sp.tokenizerHash);
    const T = o.block_size > 0 ? o.block_size : sp.config.block_size;
    if (T > sp.config.block_size) throw errors.sftBlockSize({ blockSize: T, model: sp.config.block_size });
    const convs = await loadConversations(ctx, o);
    const train = encodeAll(sp.tokenizer, sp.template, convs.train, o, T);
    const val = encodeAll(sp.tokenizer, sp.template, convs.val, o, T);
    const report = maskReport(train.samples, sp.tokenizer, { examples: o.report_examples });
    checkMaskShare(report, { trainOn: o.train_on });
    const reportDir = ctx.outputs.report!.dir;
    await writeMaskReport(reportDir, report);
    const steps = o.epochs > 0 ? Math.ceil((o.epochs * train.windows.length) / (o.batch_size * o.grad_accum)) : o.steps;
    ctx.log.info(describe(o, sp, T, steps));
    ctx.log.info(`${convs.train.length} training / ${convs.val.length} validation conversations${convs.heldOut ? ' (held out)' : ''} → ${train.windows.length} windows` +
      ` (${train.stats.truncated} truncated, ${(100 * report.share).toFixed(1)}% of tokens supervised); ${backendLine(tensors)}, ` +
      `${(sp.model.numTrainable() / 1e6).toFixed(3)}M of ${(sp.model.numParams() / 1e6).toFixed(3)}M parameters trainable`);
    const trainer = new Trainer(sp.model, { source: new WindowSource(train.windows, o.batch_size, T, seed), objective: maskedLmObjective }, {
      batchSize: o.batch_size, gradAccum: o.grad_accum, gradClip: o.grad_clip, seed,
      schedule: { lr: o.lr, minLr: o.min_lr, warmupSteps: o.warmup_steps, decaySteps: o.lr_decay_steps > 0 ? o.lr_decay_steps : steps },
      adamw: { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay },
    });
    try {
      const validate = () => validationLoss(sp.model, val.windows, o.batch_size, T);
      const baseVal = validate();
      const before = await answer(sp, o.prompts, o.sample_tokens);
      const res = await trainSession(ctx, trainer, {
        loop: { steps, evalInterval: o.eval_interval, sampleInterval: 0, checkpointInterval: o.checkpoint_interval, checkpointMinutes: o.checkpoint_minutes, patience: o.early_stopping_patience },
        save: { keepLast: o.keep_last, eosId: sp.tokenizer.eotId },
        validate,
        events,
      });
      const valLoss = validate();
      const after = await answer(sp, o.prompts, o.sample_tokens);
      const metrics = {
        base_val_loss: baseVal, val_loss: valLoss, steps: trainer.step, tokens_per_s: res.tokensPerS,
        supervised_share: report.share, trainable_params: sp.model.numTrainable(), params: sp.model.numParams(),
        trainable_share: sp.model.numTrainable() / sp.model.numParams(), windows: train.windows.length, truncated: train.stats.truncated,
      };
      ctx.log.info(`validation loss on assistant tokens: base ${baseVal.toFixed(4)} → ${valLoss.toFixed(4)}`);
      await writeTuningReport(ctx, metrics, o.prompts, before, after);
      ctx.stats({ ...metrics, tokens_per_s: Math.round(res.tokensPerS), template: sp.template.name, lora: sp.lora ? `r${sp.lora.r}` : 'off' });
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
