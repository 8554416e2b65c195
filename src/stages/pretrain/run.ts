/**
 * @fileoverview The pretrain stage's body: set up the backend (ctx.tensors()), load tokens,
 * start fresh or resume from the newest checkpoint in ctx.checkpointDir, train, write the
 * model folder.
 */
import { join } from 'node:path';
import type { StageContext } from '../define.js';
import type { PretrainOptions } from '../options.gen.js';
import { errors } from '../../errors/index.js';
import { readTokens, readTokensMeta, tokensTokenizerPath, type TokenArray } from '../../artifacts/tokens.js';
import { saveModelFolder } from '../../model/checkpoint.js';
import { checkConfig, type GPTConfig } from '../../model/config.js';
import { GPT, initParams } from '../../model/gpt.js';
import { generate } from '../../model/sample.js';
import { loadTokenizer } from '../../tokenizer/index.js';
import { chooseSplits, holdOut } from '../../train/data.js';
import { trainLoop, type LoopState } from '../../train/loop.js';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint, type TrainingCheckpoint as Checkpoint } from '../../train/state.js';
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


/** A Trainer at step 0, or restored from a checkpoint (weights, moments, step, sampler state). */
async function makeTrainer(o: PretrainOptions, config: GPTConfig, train: TokenArray, seed: number, steps: number, ck: Checkpoint | null): Promise<Trainer> {
  const model = new GPT(config, ck?.weights ?? initParams(config, seed));
  const trainer = new Trainer(model, train, {
    batchSize: o.batch_size, gradAccum: o.grad_accum, gradClip: o.grad_clip, seed,
    schedule: { lr: o.lr, minLr: o.min_lr, warmupSteps: o.warmup_steps, decaySteps: o.lr_decay_steps > 0 ? o.lr_decay_steps : steps },
    adamw: { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay },
  });
  if (ck) {
    trainer.opt.load(ck.m, ck.v, ck.state.optimizer_t);
    trainer.step = ck.state.step;
    trainer.sampler.state = ck.state.sampler_state;
  }
  return trainer;
}

/** The newest checkpoint in ctx.checkpointDir, checked against the model config. */
async function findCheckpoint(ctx: StageContext, config: GPTConfig): Promise<{ path: string; ck: Checkpoint } | null> {
  const path = await latestCheckpoint(ctx.checkpointDir);
  if (!path) return null;
  const ck = await loadCheckpoint(path);
  if (JSON.stringify(ck.config) !== JSON.stringify(config)) {
    throw errors.checkpointMismatch({ path });
  }
  return { path, ck };
}

export async function runPretrain(ctx: StageContext, o: PretrainOptions): Promise<void> {
  const tokensDir = ctx.inputs.tokens?.[0]?.path;
  if (!tokensDir) throw errors.stageInputAbsent({ type: 'pretrain', kind: 'tokens' });
  const { backend } = await ctx.tensors();
  const data = await loadData(tokensDir);
  const config = modelConfig(o, data.vocab);
  if (data.val.length < config.block_size + 1) throw errors.validationTooShort({ tokens: data.val.length, blockSize: config.block_size });
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:pretrain`);
  const tokensPerStep = o.batch_size * o.grad_accum * o.block_size;
  const steps = o.tokens > 0 ? Math.ceil(o.tokens / tokensPerStep) : o.steps;
  const found = await findCheckpoint(ctx, config);
  const trainer = await makeTrainer(o, config, data.train, seed, steps, found?.ck ?? null);
  const st = found?.ck.state;
  const loopState: LoopState = { bestVal: st?.best_val_loss ?? null, evalsSinceBest: st?.evals_since_best ?? 0, lastLoss: st?.last_loss ?? null };
  if (found) ctx.log.info(`resumed from ${found.path} (step ${trainer.step})`);
  ctx.log.info(`${backend} backend, ${(trainer.model.numParams() / 1e6).toFixed(2)}M parameters, ${steps} steps of ${tokensPerStep} tokens`);
  const saveOpts = { tokenizerPath: join(tokensDir, 'tokenizer.json'), eosId: data.eot, keepLast: o.keep_last };
  try {
    const evalSeed = seedFrom(`${seed}:eval`);
    const res = await trainLoop(trainer, data.val, {
      steps, evalInterval: o.eval_interval, evalIters: o.eval_iters, sampleInterval: o.sample_interval,
      checkpointInterval: o.checkpoint_interval, checkpointMinutes: o.checkpoint_minutes, patience: o.early_stopping_patience, evalSeed,
    }, {
      signal: ctx.signal, metric: ctx.metric, info: ctx.log.info,
      checkpoint: () => saveState(ctx.checkpointDir, trainer, loopState, saveOpts),
      progress: (done, total) => ctx.progress({ done, total, unit: 'steps' }),
      sample: () => sampleText(trainer.model, tokensTokenizerPath(tokensDir), o.sample_tokens, trainer.step),
    }, loopState);
    const trainLoss = trainer.estimateLoss(data.train, o.eval_iters, evalSeed);
    const valLoss = trainer.estimateLoss(data.val, o.eval_iters, evalSeed);
    ctx.metric('train_loss', trainLoss);
    ctx.metric('val_loss', valLoss);
    ctx.metric('tokens_per_s', res.tokensPerS);
    ctx.stats({ steps: trainer.step, params: trainer.model.numParams(), backend, train_loss: trainLoss, val_loss: valLoss, tokens_per_s: Math.round(res.tokensPerS) });
    await saveModelFolder(ctx.outputs.model!.dir, config, await trainer.model.weights(), saveOpts);
  } finally {
    trainer.dispose();
    trainer.model.dispose();
  }
}

/** Writes the trainer's full state as a checkpoint (weights, moments, step, PRNG, early-stop state). */
async function saveState(dir: string, t: Trainer, ls: LoopState, o: { tokenizerPath: string; eosId: number | null; keepLast: number }): Promise<void> {
  const [weights, m, v] = await Promise.all([t.model.weights(), readAll(t.opt.m), readAll(t.opt.v)]);
  await saveCheckpoint(dir, { config: t.model.config, weights, m, v, state: {
    step: t.step, optimizer_t: t.opt.t, sampler_state: t.sampler.state,
    best_val_loss: ls.bestVal, evals_since_best: ls.evalsSinceBest, last_loss: ls.lastLoss,
  } }, o);
}

async function readAll(vars: Map<string, { data(): Promise<unknown> }>): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of vars) out.set(k, (await v.data()) as Float32Array);
  return out;
}

/** A short greedy-ish sample for the log, or null when no tokenizer is present. */
async function sampleText(model: GPT, tokenizerPath: string | undefined, n: number, step: number): Promise<string | null> {
  if (!tokenizerPath) return null;
  const tok = await loadTokenizer(tokenizerPath);
  const ids: number[] = [];
  for await (const id of generate(model, [tok.eotId ?? 0], { maxTokens: n, temperature: 0.8, topK: 40, seed: step })) ids.push(id);
  return tok.decode(ids);
}
