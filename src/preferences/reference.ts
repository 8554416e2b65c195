/**
 * @fileoverview DPO's reference log-probabilities: the summed log-prob of every pair's chosen
 * and rejected completion under the frozen reference model, computed once before training
 * and cached in a JSON file keyed by the pairs' token ids, so a resumed run reads them back
 * instead of recomputing them (and never from the partly trained policy).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt.js';
import { sequenceLogps } from '../train/preference-objectives.js';
import { writeFileAtomic } from '../util/atomic.js';
import { fixedPairBatches } from './batch.js';
import type { EncodedPair } from './encode.js';

/** sha256 over the pairs' ids: what the cached values depend on (besides the model). */
export function pairsKey(pairs: readonly EncodedPair[], model: string): string {
  const h = createHash('sha256').update(model);
  for (const p of pairs) for (const a of [p.prompt, p.chosen, p.rejected]) h.update(`${a.length}:`).update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

/** Summed completion log-probs [2 per pair: chosen, rejected] under `model` (forward only). */
export function computeReference(model: GPT, pairs: readonly EncodedPair[], batchSize: number, padId: number): Float32Array {
  const out = new Float32Array(2 * pairs.length);
  let i = 0;
  for (const b of fixedPairBatches(pairs, batchSize, padId)) {
    const t = tf.tidy(() => sequenceLogps(model, b, false));
    const v = t.dataSync();
    t.dispose();
    const B = b.rows / 2;
    for (let k = 0; k < B; k++) { out[2 * (i + k)] = v[k]!; out[2 * (i + k) + 1] = v[B + k]!; }
    i += B;
  }
  return out;
}

/**
 * The cached values in `file` when their key matches, else computed with `model` and written
 * there. `cached` says which happened.
 */
export async function cachedReference(file: string, key: string, compute: () => Float32Array): Promise<{ values: Float32Array; cached: boolean }> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { key: string; values: number[] };
    if (saved.key === key) return { values: Float32Array.from(saved.values), cached: true };
  } catch {
    // no cache yet (or unreadable): compute it
  }
  const values = compute();
  await writeFileAtomic(file, JSON.stringify({ key, values: Array.from(values) }));
  return { values, cached: false };
}
