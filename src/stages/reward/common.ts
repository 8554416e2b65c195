/**
 * @fileoverview What the reward and dpo stages share around the training session: the
 * Trainer's config from their (identical) optimisation options, the start-of-stage line with
 * the pinned defaults, and a session context that logs the pair metrics (TRL's
 * rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins) at every step.
 */
import type { SessionContext } from '../../train/session.js';
import type { PairStats } from '../../train/preference-objectives.js';
import type { TrainerConfig } from '../../train/trainer.js';
import type { StageContext } from '../define.js';
import type { RewardOptions } from '../options.gen.js';

/** The optimisation options both stages have. */
export type OptimOptions = Pick<RewardOptions, 'batch_size' | 'grad_accum' | 'grad_clip' | 'lr' | 'min_lr' | 'warmup_steps' | 'lr_decay_steps' | 'beta1' | 'beta2' | 'eps' | 'weight_decay' | 'steps' | 'epochs'
  | 'eval_interval' | 'checkpoint_interval' | 'checkpoint_minutes' | 'keep_last' | 'early_stopping_patience'>;

/** Optimizer steps: `steps`, or `epochs` passes over `pairs` training pairs. */
export function stepsOf(o: OptimOptions, pairs: number): number {
  return o.epochs > 0 ? Math.max(1, Math.ceil((o.epochs * pairs) / (o.batch_size * o.grad_accum))) : o.steps;
}

export function trainerConfig(o: OptimOptions, steps: number, seed: number): TrainerConfig {
  return {
    batchSize: o.batch_size, gradAccum: o.grad_accum, gradClip: o.grad_clip, seed,
    schedule: { lr: o.lr, minLr: o.min_lr, warmupSteps: o.warmup_steps, decaySteps: o.lr_decay_steps > 0 ? o.lr_decay_steps : steps },
    adamw: { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay },
  };
}

export function loopOptions(o: OptimOptions, steps: number) {
  return { steps, evalInterval: o.eval_interval, sampleInterval: 0, checkpointInterval: o.checkpoint_interval, checkpointMinutes: o.checkpoint_minutes, patience: o.early_stopping_patience };
}

/** `… steps × B×accum pairs, lr …, AdamW …, clip …` for the start-of-stage line. */
export function describeOptim(o: OptimOptions, steps: number, T: number): string {
  return `max_length ${T}, ${steps} steps × ${o.batch_size}×${o.grad_accum} pairs, lr ${o.lr}→${o.min_lr} (warmup ${o.warmup_steps}), ` +
    `AdamW β=(${o.beta1}, ${o.beta2}) wd ${o.weight_decay}, clip ${o.grad_clip}`;
}

/** The stage context for trainSession, also recording `stats` (taken once per step) beside each step's loss. */
export function withPairMetrics(ctx: StageContext, stats: PairStats): SessionContext {
  return {
    checkpointDir: ctx.checkpointDir, signal: ctx.signal, log: ctx.log,
    progress: (p) => ctx.progress(p),
    metric: (name, value, step) => {
      ctx.metric(name, value, step);
      if (name !== 'loss' || step === undefined) return;
      for (const [k, v] of Object.entries(stats.take() ?? {})) ctx.metric(k, v, step);
    },
  };
}

/** Pearson correlation of two equally long series (NaN when either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const da = a[i]! - ma, db = b[i]! - mb; sab += da * db; saa += da * da; sbb += db * db; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}
