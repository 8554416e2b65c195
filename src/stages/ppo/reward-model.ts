/**
 * @fileoverview The one door to the reward stage's model (src/preferences/reward-model.ts, the
 * shared contract of issue 12): a reward artifact folder → raw scalar scores of token
 * sequences, its tokenizer and the reward_stats it was normalised with. Imported by a
 * computed specifier, so this stage builds before that module lands.
 */
import type { Tokenizer } from '../../tokenizer/index.js';

/** The RewardModel contract PPO codes against. */
export interface RewardModelLike {
  readonly tokenizer: Tokenizer;
  readonly stats: { mean: number; std: number };
  /** Raw scalar per sequence (prompt ⊕ completion ids), forward only. */
  score(seqs: ArrayLike<number>[]): Float32Array;
  dispose(): void;
}

const MODULE = '../../preferences/reward-model.js';

/** Loads a reward artifact folder through RewardModel.load. */
export async function loadRewardModel(dir: string): Promise<RewardModelLike> {
  const mod = (await import(MODULE)) as { RewardModel: { load(dir: string): Promise<RewardModelLike> } };
  return mod.RewardModel.load(dir);
}
