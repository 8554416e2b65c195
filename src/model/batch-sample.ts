/**
 * @fileoverview Sampled completions of a batch of prompts with the KV cache: PPO's rollouts and
 * AI feedback's n samples per prompt. Synchronous, so a rollout can run inside the training
 * step's batch source. Prompts of equal
 * length share one cache ([g, H, t, hs]); each row draws from its own seeded stream, so a
 * row's completion depends only on (seed, row) and the weights — not on how rows group.
 * Sampling is plain temperature sampling by default (top_k 0, top_p 1, as TRL), the same
 * softmax(logits/τ) the log-probs are trained on (./policy.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT, KvCache } from './gpt.js';
import { pickToken } from './sample.js';
import { Rng, seedFrom } from '../util/random.js';

export interface SampleOptions {
  maxTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  /** Token ids that end a completion (kept as its last token). */
  stop: number[];
  seed: number;
  /** One seed per prompt, instead of deriving row r's from `seed` (a row's draws then do not depend on the batch it is in). */
  rowSeeds?: number[];
  /** Stop ids cannot be drawn before this many new tokens (HF min_new_tokens). @default 0 */
  minNewTokens?: number;
}

/** Logits [g, V] at the last position of each row after feeding `ids` [g, t]. */
function feed(model: GPT, ids: number[][], cache: KvCache): Float32Array[] {
  const g = ids.length, t = ids[0]!.length;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(Int32Array.from(ids.flat()), [g, t], 'int32');
    const logits = model.forward(x, false, cache); // [g*t, V]
    return tf.gather(logits, tf.tensor1d(Array.from({ length: g }, (_, r) => r * t + t - 1), 'int32')); // [g, V]
  });
  const flat = out.dataSync() as Float32Array;
  const V = out.shape[1]!;
  out.dispose();
  return Array.from({ length: g }, (_, r) => flat.subarray(r * V, (r + 1) * V));
}

/** A copy of logits with the stop ids made impossible (−1e9, as scoring masks them). */
function withoutStops(l: Float32Array, stop: number[]): Float32Array {
  const c = Float32Array.from(l);
  for (const id of stop) if (id < c.length) c[id] = c[id]! - 1e9;
  return c;
}

/** Completions of rows that share a prompt length. */
function sampleGroup(model: GPT, prompts: number[][], rows: number[], o: SampleOptions): number[][] {
  const pick = { temperature: o.temperature, topK: o.topK, topP: o.topP };
  const rngs = rows.map((r) => new Rng(o.rowSeeds?.[r] ?? seedFrom(`${o.seed}:row:${r}`)));
  const out = prompts.map(() => [] as number[]);
  const done = prompts.map(() => false);
  const stop = new Set(o.stop);
  const cache: KvCache = { k: [], v: [], length: 0 };
  try {
    let logits = feed(model, prompts, cache);
    for (let n = 0; n < o.maxTokens && done.includes(false); n++) {
      const early = n < (o.minNewTokens ?? 0);
      const next = logits.map((l, i) => (done[i] ? o.stop[0] ?? 0 : pickToken(early ? withoutStops(l, o.stop) : l, pick, rngs[i]!)));
      next.forEach((id, i) => { if (!done[i]) { out[i]!.push(id); if (stop.has(id)) done[i] = true; } });
      if (n + 1 < o.maxTokens && done.includes(false)) logits = feed(model, next.map((id) => [id]), cache);
    }
  } finally {
    tf.dispose([...cache.k, ...cache.v]);
  }
  return out;
}

/**
 * One completion per prompt (ids), at most maxTokens each, ending at a stop id when one is
 * drawn. Prompts must leave room: length + maxTokens ≤ block_size (the caller truncates).
 */
export function sampleCompletions(model: GPT, prompts: number[][], o: SampleOptions): number[][] {
  const byLength = new Map<number, number[]>();
  prompts.forEach((p, r) => byLength.set(p.length, [...(byLength.get(p.length) ?? []), r]));
  const out: number[][] = new Array(prompts.length);
  for (const rows of byLength.values()) {
    const done = sampleGroup(model, rows.map((r) => prompts[r]!), rows, o);
    rows.forEach((r, i) => { out[r] = done[i]!; });
  }
  return out;
}
