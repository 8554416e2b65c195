/**
 * @fileoverview Learning-rate schedule, nanoGPT's `get_lr`: linear warmup, cosine decay to
 * `minLr` at `decaySteps`, then flat at `minLr`. Pure function of the step.
 */

export interface LrSchedule {
  /** Peak learning rate. @default 1e-3 */
  lr: number;
  /** Floor reached at `decaySteps`. @default 1e-4 */
  minLr: number;
  /** Linear warmup length. @default 100 */
  warmupSteps: number;
  /** Step at which the cosine reaches `minLr` (nanoGPT `lr_decay_iters`). */
  decaySteps: number;
}

/** LR for iteration `it` (0-based). */
export function getLr(it: number, s: LrSchedule): number {
  if (it < s.warmupSteps) return (s.lr * (it + 1)) / (s.warmupSteps + 1);
  if (it > s.decaySteps) return s.minLr;
  const span = s.decaySteps - s.warmupSteps;
  const ratio = span > 0 ? (it - s.warmupSteps) / span : 1;
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio)); // 1 → 0
  return s.minLr + coeff * (s.lr - s.minLr);
}
