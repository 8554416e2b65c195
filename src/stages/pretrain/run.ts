/**
 * @fileoverview The pretrain stage's body: set up the backend (ctx.tensors()), load tokens,
 * build the model and the language-model task, train through the shared session
 * (../../train/session.ts: resume, loop, checkpoints), write the model folder.
 */
import { join } from 'node:path';
import { backendLine, type StageContext } from '../define.js';
import type { PretrainOptions } from '../options.gen.js';
import { errors } from '../../errors/index.js';
import { readTokens, readTokensMeta, tokensTokenizerPath, type TokenArray } from '../../artifacts/tokens.js';
import { saveModelFolder } from '../../model/checkpoint.js';
import { checkConfig, type GPTConfig } from '../../model/config.js';
import { GPT, initParams } from '../../model/gpt.js';
import { generate } from '../../model/sample.js';
import { loadTokenizer } from '../../tokenizer/index.js';
import { chooseSplits, holdOut, windowBatches } from '../../train/data.js';
import { trainingEvents } from '../../train/events.js';
import { trainSession } from '../../train/session.js';
import { Trainer } from '../../train/trainer.js';
import { seedFrom } from '../../util/random.js';

/** Train and validation token arrays (validation split, or the last 10% of train). */
async function loadData(dir: string): Promise<{ train: TokenArray; val: TokenArray; vocab: number; eot: number | null }> {
  const meta = await readTokensMeta(dir);
  const pick = chooseSplits(meta);
  const all = await readTokens(dir, pick.train);
  const { train, val } = pick.validation ? { train: all, val: await readTokens(dir, pick.validation) } : holdOut(all, pick.fraction);
  return { train, val, vocab: meta.vocab_size, eot: meta.eot_id };
}

function modelConfig(o: PretrainOptions, vocab: number): GPTConfig {
  const c = { n_layer: o.n_layer, n_head: o.n_head, n_embd: o.n_embd, block_size: o.block_size, vocab_size: vocab, dropout: o.dropout };
  const err = checkConfig(c);
  if (err) throw errors.modelShape({ problem: err });
  return c;
}

/** A Trainer at step 0 on the language-model objective (the session restores checkpoints). */
function makeTrainer(o: PretrainOptions, config: GPTConfig, train: TokenArray, seed: number, steps: number): Trainer {
  return new Trainer(new GPT(config, initParams(config, seed)), train, {
    batchSize: o.batch_size, gradAccum: o.grad_accum, gradClip: o.grad_clip, seed,
    schedule: { lr: o.lr, minLr: o.min_lr, warmupSteps: o.warmup_steps, decaySteps: o.lr_decay_steps > 0 ? o.lr_decay_steps : steps },
    adamw: { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay },
  });
}

export async function runPretrain(stage: StageContext, o: PretrainOptions): Promise<void> {
  const events = trainingEvents(stage, o);
  const ctx = events.context;
  const tokensDir = ctx.inputs.tokens?.[0]?.path;
  if (!tokensDir) throw errors.stageInputAbsent({ type: 'pretrain', kind: 'tokens' });
  const tensors = await ctx.tensors();
  const data = await loadData(tokensDir);
  const config = modelConfig(o, data.vocab);
  if (data.val.length < config.block_size + 1) throw errors.validationTooShort({ tokens: data.val.length, blockSize: config.block_size });
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:pretrain`);
  const tokensPerStep = o.batch_size * o.grad_accum * o.block_size;
  const steps = o.tokens > 0 ? Math.ceil(o.tokens / tokensPerStep) : o.steps;
  const trainer = makeTrainer(o, config, data.train, seed, steps);
  const evalSeed = seedFrom(`${seed}:eval`);
  const estimate = (d: TokenArray, split: string) => trainer.estimateLoss(windowBatches(d, o.eval_iters, o.batch_size, config.block_size, evalSeed, split));
  const saveOpts = { tokenizerPath: join(tokensDir, 'tokenizer.json'), eosId: data.eot, keepLast: o.keep_last };
  try {
    ctx.log.info(`${backendLine(tensors)}, ${(trainer.model.numParams() / 1e6).toFixed(2)}M parameters, ${steps} steps of ${tokensPerStep} tokens`);
    const res = await trainSession(ctx, trainer, {
      loop: { steps, evalInterval: o.eval_interval, sampleInterval: o.sample_interval, checkpointInterval: o.checkpoint_interval, checkpointMinutes: o.checkpoint_minutes, patience: o.early_stopping_patience },
      save: saveOpts,
      validate: () => estimate(data.val, 'validation'),
      sample: () => sampleText(trainer.model, tokensTokenizerPath(tokensDir), o.sample_tokens, trainer.step),
      events,
    });
    const trainLoss = estimate(data.train, 'train');
    const valLoss = estimate(data.val, 'validation');
    ctx.metric('train_loss', trainLoss);
    ctx.metric('val_loss', valLoss);
    ctx.metric('tokens_per_s', res.tokensPerS);
    ctx.stats({ steps: trainer.step, params: trainer.model.numParams(), backend: tensors.backend, ...(tensors.precision === 'fp32' ? {} : { precision: tensors.precision }), train_loss: trainLoss, val_loss: valLoss, tokens_per_s: Math.round(res.tokensPerS) });
    await saveModelFolder(ctx.outputs.model!.dir, config, await trainer.model.weights(), saveOpts);
    await events.exportTo(ctx.outputs.model!.dir);
  } finally {
    events.close();
    trainer.dispose();
    trainer.model.dispose();
  }
}

/** A short greedy-ish sample for the log, or null when no tokenizer is present. */
async function sampleText(model: GPT, tokenizerPath: string | undefined, n: number, step: number): Promise<string | null> {
  if (!tokenizerPath) return null;
  const tok = await loadTokenizer(tokenizerPath);
  const ids: number[] = [];
  for await (const id of generate(model, [tok.eotId ?? 0], { maxTokens: n, temperature: 0.8, topK: 40, seed: step })) ids.push(id);
  return tok.decode(ids);
}
