/**
 * @fileoverview Token generation with a KV cache: the prompt is run once (prefill), then each
 * new token costs one single-position forward pass. When the cache reaches block_size the
 * context is cut to its last half and re-prefilled (positions are learned, so they cannot
 * slide). Sampling: temperature, top-k, top-p (nucleus), seeded. Text in, text out (stop
 * strings, streaming): generate.ts.
 *
 *   for await (const id of generate(model, ids, { maxTokens: 100, topK: 40, seed: 1 })) …
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT, KvCache } from './gpt.js';
import { Rng } from '../util/random.js';

export interface GenerateOptions {
  /** New tokens to produce. @default 100 */
  maxTokens?: number;
  /** Softmax temperature; 0 = greedy. @default 1 */
  temperature?: number;
  /** Keep only the k most likely tokens (0 = off). @default 0 */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 = off). @default 1 */
  topP?: number;
  /** Sampling seed. @default 1337 */
  seed?: number;
  /** Token ids that end generation (the stop id is yielded, then generation ends). @default [] */
  stop?: number[];
}

/** Picks the next id from logits [V]. */
export function pickToken(logits: Float32Array, o: Required<Pick<GenerateOptions, 'temperature' | 'topK' | 'topP'>>, rng: Rng): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (o.temperature <= 0) return best;
  let order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
  if (o.topK > 0) order = order.slice(0, o.topK);
  const max = logits[best]!;
  let probs = order.map((i) => Math.exp((logits[i]! - max) / o.temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  if (o.topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < o.topP * total) cum += probs[keep++]!;
    order = order.slice(0, Math.max(1, keep));
    probs = probs.slice(0, order.length);
    total = probs.reduce((a, b) => a + b, 0);
  }
  let r = rng.next() * total;
  for (let i = 0; i < order.length; i++) {
    r -= probs[i]!;
    if (r <= 0) return order[i]!;
  }
  return order[order.length - 1]!;
}

function newCache(): KvCache {
  return { k: [], v: [], length: 0 };
}

function disposeCache(c: KvCache): void {
  tf.dispose([...c.k, ...c.v]);
}

/** Runs `ids` through the model, extending the cache; returns the last position's logits [V]. */
function feed(model: GPT, ids: number[], cache: KvCache): Float32Array {
  const logits = tf.tidy(() => {
    const all = model.forward(tf.tensor2d(Int32Array.from(ids), [1, ids.length], 'int32'), false, cache); // [t, V]
    return tf.slice(all, [ids.length - 1, 0], [1, -1]); // [1, V]
  });
  const out = logits.dataSync() as Float32Array;
  logits.dispose();
  return out;
}

/** Yields generated token ids one at a time. `promptIds` must hold at least one id. */
export async function* generate(model: GPT, promptIds: number[], o: GenerateOptions = {}): AsyncGenerator<number> {
  const pick = { temperature: o.temperature ?? 1, topK: o.topK ?? 0, topP: o.topP ?? 1 };
  const stop = new Set(o.stop ?? []);
  const rng = new Rng(o.seed ?? 1337);
  const bs = model.config.block_size;
  if (promptIds.length === 0) throw new Error('generate needs at least one prompt token');
  const context = promptIds.slice(-bs);
  let cache = newCache();
  try {
    let logits = feed(model, context, cache);
    for (let n = 0; n < (o.maxTokens ?? 100); n++) {
      const id = pickToken(logits, pick, rng);
      yield id;
      if (stop.has(id)) return;
      context.push(id);
      if (cache.length >= bs) {
        disposeCache(cache);
        cache = newCache();
        logits = feed(model, context.slice(-Math.max(1, Math.floor(bs / 2))), cache);
      } else {
        logits = feed(model, [id], cache);
      }
    }
  } finally {
    disposeCache(cache);
  }
}
