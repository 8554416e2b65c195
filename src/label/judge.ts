/**
 * @fileoverview AI feedback: `n` seeded completions per prompt, each scored by a reward
 * function (a plugin's `defineReward`); the best and the worst make a preference pair with
 * their scores as extra fields. A prompt whose best and worst score the same gives no pair
 * (counted as a tie). Shared by the feedback stage and `trainyard label --judge`.
 */
import { applyDefaults } from '../config/ajv.js';
import { errors } from '../errors/index.js';
import type { RegistryView } from '../plugins/contracts.js';
import type { RewardDefinition } from '../plugins/contracts.js';
import { Rng, seedFrom } from '../util/random.js';
import { answerLine, type PreferenceLine } from './records.js';
import type { Sampler } from './sampler.js';

/** A reward function with its options (defaults applied). */
export interface Judge {
  name: string;
  reward: RewardDefinition<any>;
  options: Record<string, unknown>;
}

/** The reward function `name` from the registry, with `options` checked against its schema (defaults applied). */
export function resolveJudge(registry: RegistryView, name: string, options: Record<string, unknown> = {}): Judge {
  const reward = registry.get('reward', name).value;
  if (!reward.schema) return { name, reward, options };
  const { value, errors: problems } = applyDefaults(reward.schema, options);
  const e = problems?.[0];
  if (e) throw errors.rewardOptionsInvalid({ reward: name, problem: `${e.instancePath || 'options'} ${e.message ?? 'is invalid'}` });
  return { name, reward, options: value };
}

/** Completions per prompt and the seed they derive from. */
export interface JudgeOptions {
  /** Completions per prompt (at least 2). */
  n: number;
  /** Base seed: completion k of prompt p uses seedFrom(`${seed}:${p}:${k}`). */
  seed: number;
  /** Write the conversational form (completions are assistant turns). @default false */
  chat?: boolean;
}

/** The pair for one prompt, or null when every completion scored the same. */
export async function judgePrompt(sampler: Sampler, judge: Judge, prompt: string, o: JudgeOptions): Promise<PreferenceLine | null> {
  return (await judgePairs(sampler, judge, prompt, { ...o, pairs: 1 }))[0] ?? null;
}

/**
 * Up to `pairs` disjoint pairs for one prompt from its `n` scored completions: the best with
 * the worst, the second best with the second worst, … while the two scores differ. Equal
 * scores keep the sampling order, so the result is deterministic.
 */
export async function judgePairs(sampler: Sampler, judge: Judge, prompt: string, o: JudgeOptions & { pairs: number }): Promise<PreferenceLine[]> {
  return (await judgeBatch(sampler, judge, [prompt], o))[0]!;
}

/**
 * judgePairs for several prompts at once: their n completions each are drawn in one batch
 * (completion k of prompt p from seedFrom(`${seed}:${p}:${k}`), so the result does not depend
 * on how prompts are batched). One list of pairs per prompt, in order.
 */
export async function judgeBatch(sampler: Sampler, judge: Judge, prompts: string[], o: JudgeOptions & { pairs: number }): Promise<PreferenceLine[][]> {
  const rows = prompts.flatMap((p) => Array.from({ length: o.n }, (_, k) => ({ p, k })));
  const texts = await sampler.sampleMany(rows.map((r) => r.p), rows.map((r) => seedFrom(`${o.seed}:${r.p}:${r.k}`)));
  const out: PreferenceLine[][] = [];
  for (const [i, prompt] of prompts.entries()) {
    const scored: Array<{ text: string; score: number; k: number }> = [];
    for (let k = 0; k < o.n; k++) {
      const text = texts[i * o.n + k]!;
      scored.push({ text, score: await score(judge, prompt, text), k });
    }
    out.push(pairsOf(prompt, scored, o));
  }
  return out;
}

/** Best with worst, second best with second worst, … while the scores differ. */
function pairsOf(prompt: string, scored: Array<{ text: string; score: number; k: number }>, o: { pairs: number; n: number; chat?: boolean }): PreferenceLine[] {
  const desc = [...scored].sort((a, b) => b.score - a.score || a.k - b.k);
  const asc = [...scored].sort((a, b) => a.score - b.score || a.k - b.k);
  const out: PreferenceLine[] = [];
  for (let i = 0; i < Math.min(o.pairs, Math.floor(o.n / 2)); i++) {
    const best = desc[i]!, worst = asc[i]!;
    if (best.score <= worst.score) break;
    out.push(answerLine({ prompt, left: best.text, right: worst.text, chat: o.chat }, 'left', { chosen_score: best.score, rejected_score: worst.score }));
  }
  return out;
}

async function score(judge: Judge, prompt: string, completion: string): Promise<number> {
  const v: unknown = await judge.reward.score({ prompt, completion }, judge.options);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.rewardNotNumber({ reward: judge.name, value: v });
  return v;
}

/** Splits lines into train and validation by a seeded shuffle; validation gets round(fraction × n), at least 1 when fraction > 0 and n ≥ 2. */
export function splitLines<T>(lines: T[], fraction: number, seed: number): { train: T[]; validation: T[] } {
  const rng = new Rng(seed);
  const keyed = lines.map((l, i) => ({ l, i, k: rng.next() })).sort((a, b) => a.k - b.k || a.i - b.i);
  const n = fraction > 0 && lines.length >= 2 ? Math.min(lines.length - 1, Math.max(1, Math.round(lines.length * fraction))) : 0;
  const held = new Set(keyed.slice(0, n).map((e) => e.i));
  return { train: lines.filter((_, i) => !held.has(i)), validation: lines.filter((_, i) => held.has(i)) };
}
