/**
 * @fileoverview One PPO iteration's data (TRL `ppo_trainer.py`): sample completions of a batch
 * of prompts, score them, take the policy's and the frozen reference's log-probs and the
 * values, shape per-token rewards (−β·KL, score at the last real token), optionally whiten
 * the rewards (no mean shift), then GAE and whitened advantages. Everything is stored flat
 * over the completion tokens (row-major), JSON-able, so a checkpoint can hold it.
 */
import type { GPT } from '../../model/gpt.js';
import { gae, responseMask, shapedRewards, tokenKl, whiten, type KlEstimator, type ValueHead } from '../../rl/index.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import { sampleCompletions, type SampleOptions } from '../../model/batch-sample.js';
import { scoreRows, type Row } from './policy.js';
import type { Scorer } from './reward.js';

export interface RolloutConfig {
  sample: Omit<SampleOptions, 'seed'>;
  gamma: number;
  lam: number;
  klEstimator: KlEstimator;
  whitenRewards: boolean;
  /** Subtracted from the score of a completion that ends without a stop token (null = off). */
  missingEosPenalty: number | null;
  /** Rows per forward pass when scoring. */
  chunk: number;
}

/** A finished rollout: rows and per-token arrays [N] (concatenated completion tokens). */
export interface RolloutBuffer {
  iteration: number;
  rows: Row[];
  logp: number[];
  values: number[];
  advantages: number[];
  returns: number[];
  /** Rollout statistics logged with the iteration (score mean, KL, β, …). */
  stats: Record<string, number>;
  /** Every row's prompt, completion text and score (log and report). */
  examples: Array<{ prompt: string; completion: string; score: number; gold?: number }>;
}

/** Real → padded [B, R] and back. */
function padded(flat: ArrayLike<number>, lengths: number[], R: number): Float32Array {
  const out = new Float32Array(lengths.length * R);
  let k = 0;
  lengths.forEach((L, b) => { for (let t = 0; t < L; t++) out[b * R + t] = flat[k++]!; });
  return out;
}
function unpadded(x: Float32Array, lengths: number[], R: number): number[] {
  const out: number[] = [];
  lengths.forEach((L, b) => { for (let t = 0; t < L; t++) out.push(x[b * R + t]!); });
  return out;
}

const mean = (x: ArrayLike<number>) => (x.length ? Array.from(x).reduce((a, b) => a + b, 0) / x.length : 0);

export interface RolloutModels { policy: GPT; head: ValueHead; reference: GPT; tokenizer: Tokenizer; scorer: Scorer }

/** Runs iteration `iteration`'s rollout on prompt ids (with their texts) at KL coefficient `beta`. */
export async function rollout(m: RolloutModels, prompts: Array<{ text: string; ids: number[] }>, iteration: number, beta: number, seed: number, c: RolloutConfig): Promise<RolloutBuffer> {
  const responses = sampleCompletions(m.policy, prompts.map((p) => p.ids), { ...c.sample, seed });
  const rows: Row[] = prompts.map((p, i) => ({ prompt: p.ids, response: responses[i]! }));
  const stop = new Set(c.sample.stop);
  const completions = responses.map((r) => m.tokenizer.decode(r.filter((id) => !stop.has(id))));
  const scores = await m.scorer.score(prompts.map((p, i) => ({ prompt: p.text, completion: completions[i]! })));
  const ended = responses.map((r) => r.length > 0 && stop.has(r[r.length - 1]!));
  const final = scores.map((s, i) => (c.missingEosPenalty !== null && !ended[i] ? s - c.missingEosPenalty : s));
  const suppress = { ids: c.sample.stop, minNew: c.sample.minNewTokens ?? 0 };
  const pol = scoreRows(m.policy, m.head, rows, c.sample.temperature, c.chunk, suppress);
  const ref = scoreRows(m.reference, null, rows, c.sample.temperature, c.chunk, suppress);
  const lengths = responses.map((r) => r.length);
  const R = Math.max(...lengths);
  const mask = responseMask(lengths, R);
  const kl = tokenKl(padded(pol.logp, lengths, R), padded(ref.logp, lengths, R), mask, c.klEstimator);
  let rewards = shapedRewards(final, kl, lengths, R, beta);
  if (c.whitenRewards) rewards = whiten(rewards, mask, false);
  const { advantages, returns } = gae(rewards, padded(pol.values, lengths, R), lengths, R, c.gamma, c.lam);
  const seqKl = lengths.map((L, b) => kl.subarray(b * R, b * R + L).reduce((a, x) => a + x, 0));
  const stats = {
    score_mean: mean(scores), score_std: Math.sqrt(mean(Array.from(scores, (s) => (s - mean(scores)) ** 2))),
    kl: mean(seqKl), kl_coef: beta, non_score_reward: -beta * mean(seqKl),
    rlhf_reward: mean(final) - beta * mean(seqKl), entropy: -mean(pol.logp) , response_length: mean(lengths),
    eos_share: mean(ended.map(Number)),
  };
  return {
    iteration, rows, logp: Array.from(pol.logp), values: Array.from(pol.values),
    advantages: unpadded(whiten(advantages, mask), lengths, R), returns: unpadded(returns, lengths, R), stats,
    examples: prompts.map((p, i) => ({ prompt: p.text, completion: completions[i]!, score: scores[i]! })),
  };
}
