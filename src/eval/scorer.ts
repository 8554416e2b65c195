/**
 * @fileoverview Scores `ScoreRequest`s with a GPT: the natural-log probability of every
 * target id and whether it was the greedy (argmax) choice.
 *
 * Batch-size invariance by construction (lm-eval#704): requests are grouped by input length,
 * so no row is ever padded, and every row's numbers come from the same per-row computation
 * whatever else shares its batch. Results are returned in request order, and callers sum them
 * in that order (float64), so totals do not depend on the batch size either.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { GPT } from '../model/gpt.js';
import type { ScoreRequest } from './windows.js';

/** Log-probabilities of one request's targets. */
export interface Scored {
  /** ln p(target_i | prefix), float64 copies of the model's float32 values. */
  logprobs: Float64Array;
  /** Every target was the argmax of its position's distribution. */
  greedy: boolean;
}

export interface ScoreOptions {
  /** Rows per forward pass. @default 8 */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each batch with the number of requests scored so far. */
  onProgress?: (done: number) => void;
}

/** Request indices grouped by input length, in chunks of at most `batchSize`. */
export function planBatches(requests: ScoreRequest[], batchSize: number): number[][] {
  const byLen = new Map<number, number[]>();
  requests.forEach((r, i) => {
    const list = byLen.get(r.input.length) ?? [];
    list.push(i);
    byLen.set(r.input.length, list);
  });
  const out: number[][] = [];
  for (const len of [...byLen.keys()].sort((a, b) => b - a)) {
    const idx = byLen.get(len)!;
    for (let i = 0; i < idx.length; i += batchSize) out.push(idx.slice(i, i + batchSize));
  }
  return out;
}

/** One forward pass over same-length rows. */
function scoreBatch(tf: typeof TF, model: GPT, rows: ScoreRequest[]): Scored[] {
  const B = rows.length;
  const T = rows[0]!.input.length;
  const V = model.config.vocab_size;
  const ids = new Int32Array(B * T);
  const flat: number[] = []; // index into [B*T*V] of each target's log-prob
  const pos: number[] = []; // index into [B*T] of each scored position
  rows.forEach((r, b) => {
    ids.set(r.input, b * T);
    const first = T - r.targets.length;
    r.targets.forEach((t, i) => {
      const p = b * T + first + i;
      pos.push(p);
      flat.push(p * V + t);
    });
  });
  const [lp, am] = tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(ids, [B, T], 'int32')); // [B*T, V]
    const logp = tf.logSoftmax(logits); // [B*T, V]
    const picked = tf.gather(tf.reshape(logp, [-1]), tf.tensor1d(Int32Array.from(flat), 'int32')); // [N]
    const best = tf.gather(tf.argMax(logits, -1), tf.tensor1d(Int32Array.from(pos), 'int32')); // [N]
    return [picked, best];
  });
  const lpv = lp.dataSync();
  const amv = am.dataSync();
  tf.dispose([lp, am]);
  const out: Scored[] = [];
  let k = 0;
  for (const r of rows) {
    const logprobs = new Float64Array(r.targets.length);
    let greedy = true;
    for (let i = 0; i < r.targets.length; i++, k++) {
      logprobs[i] = lpv[k]!;
      if (amv[k] !== r.targets[i]) greedy = false;
    }
    out.push({ logprobs, greedy });
  }
  return out;
}

/** Scores every request (in request order). Each input must be 1..block_size ids long. */
export async function scoreRequests(model: GPT, requests: ScoreRequest[], o: ScoreOptions = {}): Promise<Scored[]> {
  const tf = await import('@tensorflow/tfjs-core');
  const bs = model.config.block_size;
  for (const r of requests) {
    if (r.input.length < 1 || r.input.length > bs) throw new Error(`request input of ${r.input.length} ids; must be 1..${bs}`);
    if (r.targets.length > r.input.length) throw new Error('more targets than input positions');
  }
  const out: Scored[] = new Array(requests.length);
  let done = 0;
  for (const batch of planBatches(requests, Math.max(1, o.batchSize ?? 8))) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    const scored = scoreBatch(tf, model, batch.map((i) => requests[i]!));
    batch.forEach((i, j) => { out[i] = scored[j]!; });
    done += batch.length;
    o.onProgress?.(done);
    await new Promise((r) => setImmediate(r)); // let aborts and progress through
  }
  return out;
}

/** Sum of a request's log-probs, in order (float64). */
export function sumLogprobs(s: Scored): number {
  let t = 0;
  for (const v of s.logprobs) t += v;
  return t;
}
