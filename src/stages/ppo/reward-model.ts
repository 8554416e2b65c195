/**
 * @fileoverview The one door to the reward stage's model (src/preferences/reward-model.ts): a
 * reward artifact folder → raw scalar scores of token sequences, its tokenizer and the
 * reward_stats it was normalised with.
 */
import { RewardModel } from '../../preferences/reward-model.js';
import type { Tokenizer } from '../../tokenizer/index.js';

/** What PPO needs of a reward model. */
export interface RewardModelLike {
  readonly tokenizer: Tokenizer;
  readonly stats: { mean: number; std: number };
  /** The longest sequence it scores (block_size). */
  readonly blockSize: number;
  /** Raw scalar per sequence (prompt ⊕ completion ids), forward only. */
  score(seqs: ArrayLike<number>[]): Float32Array;
  dispose(): void;
}

/** Loads a reward artifact folder. */
export async function loadRewardModel(dir: string): Promise<RewardModelLike> {
  return RewardModel.load(dir);
}
