/**
 * @fileoverview The training loop around Trainer: per-step metrics, periodic validation with
 * optional early stopping, text samples, checkpoints every N steps / M minutes / on abort,
 * and the NaN guard. I/O goes through the hooks (the stage wires them to ctx).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { errors } from '../errors/index.js';
import type { Trainer } from './trainer.js';

export interface LoopOptions {
  /** Optimizer steps to reach (counted from 0, including steps done before a resume). */
  steps: number;
  /** Validate every N steps (and at the end; 0 = only at the end). @default 250 */
  evalInterval: number;
  /** Log a text sample every N steps (0 = never). @default 500 */
  sampleInterval: number;
  /** Checkpoint every N steps (0 = only at the end and on abort). @default 250 */
  checkpointInterval: number;
  /** Also checkpoint when this many minutes passed since the last one (0 = off). @default 10 */
  checkpointMinutes: number;
  /** Stop after this many evaluations without a better val loss (0 = off). @default 0 */
  patience: number;
}

export interface LoopHooks {
  signal: AbortSignal;
  metric(name: string, value: number, step?: number): void;
  progress(done: number, total: number): void;
  info(msg: string): void;
  /** The validation loss of the current model (fixed batches, so evaluations compare). */
  validate(): number;
  /** Writes a checkpoint of the trainer's current state. */
  checkpoint(): Promise<void>;
  /** Returns a text sample from the current model (or null to skip). */
  sample?(): Promise<string | null>;
  /** Async work before each step, e.g. PPO's rollout when its buffer is used up (the step itself is synchronous). */
  prepare?(): Promise<void>;
}

/** What the loop carries across steps and checkpoints (restored on resume). */
export interface LoopState {
  bestVal: number | null;
  evalsSinceBest: number;
  lastLoss: number | null;
  /** Mean tokens/s of the steps this run (or, restored, the run that wrote the checkpoint) took. */
  tokensPerS?: number;
  /** The last step's metrics by name (loss, lr, grad_norm, tokens_per_s). */
  lastStep?: Record<string, number>;
}

export interface LoopResult { tokensPerS: number; stoppedEarly: boolean }

/**
 * Trains until `steps`, abort (checkpoint + E_ABORTED), early stop, or a NaN loss (E_NAN). A
 * run with no step left (resumed from the final checkpoint) reports the restored last-step
 * metrics and tokens/s rather than none and 0.
 */
export async function trainLoop<B>(t: Trainer<B>, o: LoopOptions, h: LoopHooks, st: LoopState): Promise<LoopResult> {
  let lastCkpt = Date.now();
  let tokens = 0;
  let seconds = 0;
  let taken = 0;
  let stoppedEarly = false;
  while (t.step < o.steps) {
    if (h.signal.aborted) {
      await h.checkpoint();
      throw errors.trainingStopped({ step: t.step });
    }
    await h.prepare?.();
    const t0 = performance.now();
    const r = t.trainStep();
    const dt = (performance.now() - t0) / 1000;
    if (!Number.isFinite(r.loss)) {
      throw errors.nanLoss({ loss: r.loss, step: t.step + 1 });
    }
    const step = t.step;
    tokens += t.lastTokens;
    seconds += dt;
    taken += 1;
    st.lastLoss = r.loss;
    if (seconds > 0) st.tokensPerS = tokens / seconds;
    st.lastStep = { loss: r.loss, lr: r.lr, grad_norm: r.gradNorm, tokens_per_s: t.lastTokens / dt };
    for (const [name, value] of Object.entries(st.lastStep)) h.metric(name, value, step);
    h.progress(step, o.steps);
    if ((o.evalInterval > 0 && step % o.evalInterval === 0) || step === o.steps) {
      const v = h.validate();
      h.metric('val_loss', v, step);
      h.info(`step ${step}: loss ${r.loss.toFixed(4)}, val ${v.toFixed(4)}, ${(tokens / seconds).toFixed(0)} tok/s`);
      if (st.bestVal === null || v < st.bestVal) { st.bestVal = v; st.evalsSinceBest = 0; } else st.evalsSinceBest += 1;
      if (o.patience > 0 && st.evalsSinceBest >= o.patience) {
        h.info(`early stop at step ${step}: val loss did not improve for ${o.patience} evaluations (best ${st.bestVal.toFixed(4)})`);
        stoppedEarly = true;
      }
    }
    if (h.sample && o.sampleInterval > 0 && step % o.sampleInterval === 0) {
      const s = await h.sample();
      if (s !== null) h.info(`sample at step ${step}: ${JSON.stringify(s)}`);
    }
    const due = (o.checkpointInterval > 0 && step % o.checkpointInterval === 0) || (o.checkpointMinutes > 0 && Date.now() - lastCkpt > o.checkpointMinutes * 60_000);
    if (due && step < o.steps && !stoppedEarly) { await h.checkpoint(); lastCkpt = Date.now(); }
    if (stoppedEarly) break;
    await yieldToEventLoop(); // lets an abort (Ctrl-C) reach the signal between steps
  }
  if (taken === 0) for (const [name, value] of Object.entries(st.lastStep ?? {})) h.metric(name, value, t.step);
  await h.checkpoint();
  return { tokensPerS: taken > 0 && seconds > 0 ? tokens / seconds : st.tokensPerS ?? 0, stoppedEarly };
}
