/**
 * @fileoverview A training stage's life around the loop, shared by pretrain and sft (and the
 * stages to come): resume from the newest checkpoint (trainable values, optimizer moments,
 * step, batch-source position, early-stop state), run trainLoop with checkpoints written on
 * schedule and on abort, and report through the stage's context.
 *
 *   const trainer = new Trainer(model, task, config);
 *   const res = await trainSession(ctx, trainer, { loop, save, validate, sample });
 */
import * as tf from '@tensorflow/tfjs-core';
import { errors } from '../errors/index.js';
import type { SaveModelOptions } from '../model/checkpoint.js';
import type { Trainer } from './trainer.js';
import { trainLoop, type LoopOptions, type LoopResult, type LoopState } from './loop.js';
import { basename } from 'node:path';
import { listCheckpoints, saveCheckpoint, type TrainingCheckpoint } from './state.js';
import { checkpointStep, loadLatestGood } from './verify.js';

/** What the session needs from a stage context (StageContext satisfies it). */
export interface SessionContext {
  readonly checkpointDir: string;
  readonly signal: AbortSignal;
  readonly log: { info(msg: string): void; warn(msg: string): void };
  metric(name: string, value: number, step?: number): void;
  progress(p: { done: number; total?: number; unit?: string }): void;
}

export interface SessionOptions {
  loop: LoopOptions;
  /** Checkpoint folder options (tokenizer copied beside full-model checkpoints) and how many to keep. */
  save: SaveModelOptions & { keepLast: number };
  validate(): number;
  sample?(): Promise<string | null>;
  /** Runs before each step (see LoopHooks.prepare). */
  prepare?(): Promise<void>;
  /** The stage's TensorBoard log (./events.ts), opened at the step the session starts from. */
  events?: { start(step: number): void };
}

/**
 * Restores the newest intact checkpoint in `dir` into the trainer (verify.ts); null when there
 * is none. Each damaged newer one is a warning naming it and the one resumed from; E_CHECKPOINT
 * when none is intact.
 */
export async function resumeLatest<B>(dir: string, t: Trainer<B>, warn: (msg: string) => void = () => {}, maxStep = Infinity): Promise<{ path: string; state: LoopState } | null> {
  // A checkpoint past the run's last step (left by a longer run of the same stage) is no start:
  // resuming from it would skip training altogether and return that other run's model.
  const later = (await listCheckpoints(dir)).filter((p) => checkpointStep(p) > maxStep);
  if (later.length) warn(`ignored ${later.length} checkpoint(s) past step ${maxStep} (from a longer run of this stage): ${later.map((p) => basename(p)).join(', ')}`);
  const found = await loadLatestGood(dir, maxStep);
  if (!found) return null;
  const { path, ck } = found;
  for (const d of found.damaged) warn(`checkpoint ${d.path} is damaged (${d.problem}); resuming from ${path} instead, and removed it`);
  if (JSON.stringify(ck.config) !== JSON.stringify(t.model.config)) throw errors.checkpointMismatch({ path });
  restore(t, ck, path);
  const s = ck.state;
  return { path, state: {
    bestVal: s.best_val_loss, evalsSinceBest: s.evals_since_best, lastLoss: s.last_loss,
    tokensPerS: s.tokens_per_s ?? undefined, lastStep: s.last_step ?? undefined,
  } };
}

function restore<B>(t: Trainer<B>, ck: TrainingCheckpoint, path: string): void {
  for (const [name, v] of t.trainable) {
    const w = ck.weights.get(name);
    if (!w || w.data.length !== v.size) throw errors.checkpointMismatch({ path });
    tf.tidy(() => v.assign(tf.tensor(w.data, v.shape, 'float32')));
  }
  t.opt.load(ck.m, ck.v, ck.state.optimizer_t);
  t.step = ck.state.step;
  t.source.state = ck.state.sampler_state;
}

/** Resumes if it can, trains to `o.loop.steps`, checkpoints (the last one at the end). */
export async function trainSession<B>(ctx: SessionContext, t: Trainer<B>, o: SessionOptions): Promise<LoopResult & { resumedFrom: string | null }> {
  const found = await resumeLatest(ctx.checkpointDir, t, ctx.log.warn, o.loop.steps);
  const st: LoopState = found?.state ?? { bestVal: null, evalsSinceBest: 0, lastLoss: null };
  if (found) ctx.log.info(`resumed from ${found.path} (step ${t.step})`);
  o.events?.start(t.step);
  const res = await trainLoop(t, o.loop, {
    signal: ctx.signal, metric: ctx.metric, info: ctx.log.info,
    validate: o.validate,
    checkpoint: () => saveState(ctx.checkpointDir, t, st, o.save),
    progress: (done, total) => ctx.progress({ done, total, unit: 'steps' }),
    sample: o.sample,
    prepare: o.prepare,
  }, st);
  return { ...res, resumedFrom: found?.path ?? null };
}

/** Writes the trainer's full state as a checkpoint. */
async function saveState<B>(dir: string, t: Trainer<B>, ls: LoopState, o: SaveModelOptions & { keepLast: number }): Promise<void> {
  const [values, m, v] = await Promise.all([readAll(t.trainable), readAll(t.opt.m), readAll(t.opt.v)]);
  const weights = new Map([...values].map(([n, data]) => [n, { shape: t.trainable.get(n)!.shape, data }]));
  await saveCheckpoint(dir, { config: t.model.config, weights, m, v, state: {
    step: t.step, optimizer_t: t.opt.t, sampler_state: t.source.state,
    best_val_loss: ls.bestVal, evals_since_best: ls.evalsSinceBest, last_loss: ls.lastLoss,
    tokens_per_s: ls.tokensPerS ?? null, last_step: ls.lastStep ?? null,
  } }, o);
}

async function readAll(vars: Map<string, { data(): Promise<unknown> }>): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of vars) out.set(k, (await v.data()) as Float32Array);
  return out;
}
