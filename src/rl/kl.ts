/**
 * @fileoverview The KL penalty against the frozen reference policy: per-token estimators of
 * KL(π‖π_ref) from the sampled tokens' log-probs (Schulman's k1 and k3), the per-token reward
 * they shape (−β·KL, with the score added at the last real token, TRL), and the controllers
 * that set β: fixed (TRL current, OpenRLHF) or adaptive (Ziegler et al. 2019, TRL classic):
 *
 *   err = clip(KL/target − 1, −0.2, 0.2);   β ← β·(1 + err·n_steps/horizon)
 */

/** k1 = logπ − logπ_ref (unbiased, can be negative per token); k3 = (r − 1) − log r with r = π_ref/π (≥ 0, lower variance). */
export type KlEstimator = 'k1' | 'k3';

/** Per-token KL estimate from the log-probs of the sampled tokens. */
export function klEstimate(logp: number, refLogp: number, estimator: KlEstimator): number {
  const logr = refLogp - logp;
  return estimator === 'k3' ? Math.expm1(logr) - logr : -logr;
}

/** Per-token KL [B*R] (0 at padding). */
export function tokenKl(logp: ArrayLike<number>, refLogp: ArrayLike<number>, mask: ArrayLike<number>, estimator: KlEstimator): Float32Array {
  const out = new Float32Array(logp.length);
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = klEstimate(logp[i]!, refLogp[i]!, estimator);
  return out;
}

/** Per-token rewards: −β·KL_t everywhere, plus the sequence's score at its last real token. */
export function shapedRewards(scores: ArrayLike<number>, kl: ArrayLike<number>, lengths: ArrayLike<number>, R: number, beta: number): Float32Array {
  const r = new Float32Array(kl.length);
  for (let b = 0; b < lengths.length; b++) {
    const L = Math.min(lengths[b]!, R);
    for (let t = 0; t < L; t++) r[b * R + t] = -beta * kl[b * R + t]!;
    if (L > 0) r[b * R + L - 1]! += scores[b]!;
  }
  return r;
}

/** Sets β between PPO iterations. `value` is the current coefficient; `update` sees the batch's mean sequence KL. */
export interface KlController {
  value: number;
  update(meanKl: number, nSteps: number): void;
}

/** β never changes. */
export class FixedKlController implements KlController {
  constructor(public value: number) {}
  update(): void {}
}

/** Ziegler's proportional controller: β grows when the KL is above target, shrinks below, by at most 20 % × n_steps/horizon. */
export class AdaptiveKlController implements KlController {
  constructor(public value: number, readonly target: number, readonly horizon: number) {}
  update(meanKl: number, nSteps: number): void {
    const err = Math.min(0.2, Math.max(-0.2, meanKl / this.target - 1));
    this.value *= 1 + (err * nSteps) / this.horizon;
  }
}
