/**
 * @fileoverview Generalised advantage estimation and whitening, on plain arrays (TRL's
 * `ppo_trainer.py`): per response token t of a row with L real tokens,
 *
 *   δ_t = r_t + γ·V_{t+1} − V_t        (V_L = 0: the episode ends after the last real token)
 *   A_t = δ_t + γ·λ·A_{t+1}            (A_L = 0)
 *   returns_t = A_t + V_t
 *
 * Rows are stored [B, R] row-major, R = the longest response; positions at or past a row's
 * length are padding (advantages and returns 0 there).
 */

/** Per-token advantages and returns of a rollout batch. */
export interface Advantages {
  advantages: Float32Array;
  returns: Float32Array;
}

/**
 * GAE over each row's real tokens. rewards, values: [B*R]; lengths: real response tokens per
 * row. @param gamma discount γ (TRL: 1) @param lam GAE λ (TRL: 0.95)
 */
export function gae(rewards: ArrayLike<number>, values: ArrayLike<number>, lengths: ArrayLike<number>, R: number, gamma: number, lam: number): Advantages {
  const n = lengths.length * R;
  const advantages = new Float32Array(n), returns = new Float32Array(n);
  for (let b = 0; b < lengths.length; b++) {
    let next = 0; // A_{t+1}
    for (let t = Math.min(lengths[b]!, R) - 1; t >= 0; t--) {
      const i = b * R + t;
      const vNext = t + 1 < lengths[b]! ? values[i + 1]! : 0;
      const delta = rewards[i]! + gamma * vNext - values[i]!;
      next = delta + gamma * lam * next;
      advantages[i] = next;
      returns[i] = next + values[i]!;
    }
  }
  return { advantages, returns };
}

/** 1 at a row's real tokens, 0 at padding: [B*R]. */
export function responseMask(lengths: ArrayLike<number>, R: number): Uint8Array {
  const m = new Uint8Array(lengths.length * R);
  for (let b = 0; b < lengths.length; b++) m.fill(1, b * R, b * R + Math.min(lengths[b]!, R));
  return m;
}

/** Mean and unbiased variance over the masked entries (TRL masked_mean / masked_var with Bessel's correction). */
export function maskedMoments(x: ArrayLike<number>, mask: ArrayLike<number>): { mean: number; variance: number; count: number } {
  let sum = 0, count = 0;
  for (let i = 0; i < x.length; i++) if (mask[i]) { sum += x[i]!; count++; }
  const mean = count > 0 ? sum / count : 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) if (mask[i]) sq += (x[i]! - mean) ** 2;
  return { mean, variance: count > 1 ? sq / (count - 1) : 0, count };
}

/**
 * (x − mean)/sqrt(var + 1e-8) over the masked entries (TRL masked_whiten); with
 * `shiftMean: false` the mean is added back (reward whitening keeps the rewards' sign).
 * Padding stays 0.
 */
export function whiten(x: ArrayLike<number>, mask: ArrayLike<number>, shiftMean = true): Float32Array {
  const { mean, variance } = maskedMoments(x, mask);
  const scale = 1 / Math.sqrt(variance + 1e-8);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) if (mask[i]) out[i] = (x[i]! - mean) * scale + (shiftMean ? 0 : mean);
  return out;
}
