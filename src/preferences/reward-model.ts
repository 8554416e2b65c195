/**
 * @fileoverview The reward stage's artifact, in Hugging Face GPT2ForSequenceClassification
 * layout: config.json (architectures ["GPT2ForSequenceClassification"], num_labels 1,
 * pad_token_id), model.safetensors (the GPT-2 `transformer.*` weights + `score.weight` [1, C],
 * no bias), tokenizer.json, and reward_stats.json {mean, std, samples} of its rewards on the
 * held-out completions (PPO normalises with them). The score is read at the last real token.
 *
 *   const rm = await RewardModel.load('out/reward');
 *   const r = rm.score([Int32Array.from([...promptIds, ...completionIds])]); // raw scores
 *   rm.dispose();
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { errors } from '../errors/index.js';
import { loadModelFolder } from '../model/checkpoint.js';
import { toHfConfig, type GPTConfig } from '../model/config.js';
import { GPT, paramShapes } from '../model/gpt.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../model/safetensors.js';
import { loadTokenizer, type Tokenizer } from '../tokenizer/index.js';
import { scoresAt } from '../train/preference-objectives.js';
import { writeFileAtomic } from '../util/atomic.js';

/** Name of the scalar head in model.safetensors (HF GPT2ForSequenceClassification). */
export const SCORE_WEIGHT = 'score.weight';
/** The file with the reward statistics. */
export const REWARD_STATS_FILE = 'reward_stats.json';

/** Mean and std of a reward model's scores on reference completions. */
export interface RewardStats { mean: number; std: number; samples: number }

/** What saveRewardFolder writes. */
export interface RewardFolder {
  config: GPTConfig;
  /** Backbone weights by our (HF) names. */
  weights: Map<string, Float32Array>;
  /** score.weight [1, C]. */
  score: Float32Array;
  /** tokenizer.json contents. */
  tokenizerJson: string;
  /** Padding id (also HF's pad_token_id, which its last-token read-out relies on). */
  padId: number;
  stats: RewardStats;
  /** Extra fields for config.json (e.g. the chat template's name). */
  extra?: Record<string, unknown>;
  /** tokenizer_config.json (the chat template the pairs were encoded with), so a scorer encodes chat rows the same way. */
  tokenizerConfig?: Record<string, unknown>;
}

/** Writes a reward model folder (see the file overview). */
export async function saveRewardFolder(dir: string, f: RewardFolder): Promise<void> {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, shape] of paramShapes(f.config)) tensors.set(name, { shape, data: f.weights.get(name)! });
  tensors.set(SCORE_WEIGHT, { shape: [1, f.config.n_embd], data: f.score });
  await writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  const hf = { ...toHfConfig(f.config, { eos_token_id: f.padId }), architectures: ['GPT2ForSequenceClassification'], num_labels: 1, pad_token_id: f.padId, ...f.extra };
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(hf, null, 2) + '\n');
  await writeFileAtomic(join(dir, 'tokenizer.json'), f.tokenizerJson);
  await writeFileAtomic(join(dir, REWARD_STATS_FILE), JSON.stringify(f.stats, null, 2) + '\n');
  if (f.tokenizerConfig) await writeFileAtomic(join(dir, 'tokenizer_config.json'), JSON.stringify(f.tokenizerConfig, null, 2) + '\n');
}

/** A trained reward model: raw scalar scores of token sequences (forward only). Set up a backend first. */
export class RewardModel {
  private constructor(
    /** The backbone. */
    readonly model: GPT,
    private readonly head: tf.Tensor,
    readonly tokenizer: Tokenizer,
    readonly stats: RewardStats,
    /** Padding id used to right-pad a batch. */
    readonly padId: number,
  ) {}

  /** Loads a reward folder; E_ARTIFACT when it has no score head of shape [1, n_embd] or no reward_stats.json. */
  static async load(dir: string): Promise<RewardModel> {
    const { config, weights, hfConfig } = await loadModelFolder(dir);
    const { tensors } = await readSafetensors(join(dir, 'model.safetensors'));
    const score = tensors.get(SCORE_WEIGHT);
    if (!score || score.shape.join(',') !== `1,${config.n_embd}`) {
      throw errors.rewardModelInvalid({ dir, problem: score ? `score.weight has shape [${score.shape.join(', ')}], expected [1, ${config.n_embd}]` : 'model.safetensors has no score.weight' });
    }
    let stats: RewardStats;
    try {
      stats = JSON.parse(await readFile(join(dir, REWARD_STATS_FILE), 'utf8')) as RewardStats;
    } catch (err) {
      throw errors.rewardModelInvalid({ dir, problem: `cannot read ${REWARD_STATS_FILE} (${(err as Error).message})` }, { cause: err });
    }
    const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
    const padId = typeof hfConfig.pad_token_id === 'number' ? hfConfig.pad_token_id : (tokenizer.eotId ?? 0);
    return new RewardModel(new GPT(config, weights), tf.tensor2d(score.data, [1, config.n_embd]), tokenizer, stats, padId);
  }

  /**
   * Raw scalar score of each sequence (prompt ⊕ completion ids), read at its last token; the
   * sequences are right-padded into one batch. Empty sequences score NaN. Normalise with
   * `stats` ((r − mean) / std) where wanted.
   */
  score(seqs: ArrayLike<number>[]): Float32Array {
    const out = new Float32Array(seqs.length).fill(NaN);
    const rows = seqs.map((s, i) => ({ s, i })).filter((r) => r.s.length > 0);
    if (rows.length === 0) return out;
    const T = Math.max(...rows.map((r) => r.s.length));
    if (T > this.model.config.block_size) throw new Error(`sequence of ${T} tokens exceeds the reward model's block_size ${this.model.config.block_size}`);
    const x = new Int32Array(rows.length * T).fill(this.padId);
    rows.forEach((r, k) => x.set(Array.from(r.s), k * T));
    const t = tf.tidy(() => scoresAt(this.model, this.head, x, rows.length, T, rows.map((r) => r.s.length - 1), false));
    const v = t.dataSync();
    t.dispose();
    rows.forEach((r, k) => { out[r.i] = v[k]!; });
    return out;
  }

  /** The longest sequence it scores. */
  get blockSize(): number { return this.model.config.block_size; }

  dispose(): void {
    this.model.dispose();
    this.head.dispose();
  }
}
