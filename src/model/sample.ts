/**
 * @fileoverview Text generation with a KV cache: the prompt is run once (prefill), then each
 * new token costs one single-position forward pass. When the cache reaches block_size the
 * context is cut to its last half and re-prefilled (positions are learned, so they cannot
 * slide). Sampling: temperature, top-k, top-p (nucleus), seeded.
 *
 *   for await (const id of generate(model, ids, { maxTokens: 100, topK: 40, seed: 1 })) …
 *   await sampleFromFolder('out/model', { prompt: 'Call me' }, (s) => process.stdout.write(s));
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

export interface SampleFolderOptions extends Omit<GenerateOptions, 'stop'> {
  /** Text to continue. Empty: start from the end-of-text token. @default '' */
  prompt?: string;
  /** Strings that end generation (the output is cut before them). @default [] */
  stop?: string[];
  /** Tensor backend. @default 'auto' */
  backend?: string;
}

/**
 * Loads a model folder (config.json + model.safetensors + tokenizer.json) and streams the
 * decoded continuation of `prompt` to `onText`. Returns the whole continuation.
 */
export async function sampleFromFolder(modelDir: string, o: SampleFolderOptions, onText: (chunk: string) => void): Promise<string> {
  const { join } = await import('node:path');
  const { setupBackend } = await import('../backends/index.js');
  const { loadModelFolder } = await import('./checkpoint.js');
  const { loadTokenizer } = await import('../tokenizer/index.js');
  const { GPT: Model } = await import('./gpt.js');
  await setupBackend(o.backend ?? 'auto');
  const { config, weights } = await loadModelFolder(modelDir);
  const tok = await loadTokenizer(join(modelDir, 'tokenizer.json'));
  const model = new Model(config, weights);
  const prompt = tok.encode(o.prompt ?? '');
  if (prompt.length === 0) prompt.push(tok.eotId ?? 0);
  const stops = (o.stop ?? []).filter((s) => s.length > 0);
  const ids: number[] = [];
  let emitted = 0;
  let text = '';
  try {
    for await (const id of generate(model, prompt, { ...o, stop: tok.eotId === null ? [] : [tok.eotId] })) {
      if (id === tok.eotId) break;
      ids.push(id);
      text = tok.decode(ids);
      const cut = firstStop(text, stops);
      if (cut >= 0) { text = text.slice(0, cut); break; }
      // Hold back a cut multi-byte character (U+FFFD) and a possible stop-string prefix.
      const safe = text.endsWith('\uFFFD') ? text.length - 1 : text.length - holdBack(text, stops);
      if (safe > emitted) { onText(text.slice(emitted, safe)); emitted = safe; }
    }
    if (text.length > emitted) onText(text.slice(emitted));
    return text;
  } finally {
    model.dispose();
  }
}

/** Index of the earliest occurrence of any stop string in `text`, or -1. */
export function firstStop(text: string, stops: string[]): number {
  let at = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/** Length of the longest suffix of `text` that is a proper prefix of a stop string. */
function holdBack(text: string, stops: string[]): number {
  let n = 0;
  for (const s of stops) for (let k = Math.min(s.length - 1, text.length); k > n; k--) if (text.endsWith(s.slice(0, k))) { n = k; break; }
  return n;
}
