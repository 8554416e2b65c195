/**
 * @fileoverview The policy's per-token outputs on prompt ⊕ completion rows: the log-prob of
 * each completion token under softmax(logits/τ) and the value head's estimate at the position
 * that predicted it (TRL: logits and values at `context_length − 1 : −1`). Rows are padded on
 * the right (causal attention: padding never reaches the real tokens); only completion
 * positions are gathered before the lm_head, so the [N, V] logits cover real tokens only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../../model/gpt.js';
import { gatherRows, tokenLogprobs, type ValueHead } from '../../rl/index.js';

/** Prompt and completion ids of one rollout row. */
export interface Row { prompt: number[]; response: number[] }

/**
 * End tokens forbidden before the `minNew`-th completion token (HF `min_new_tokens`): applied
 * to the logits when sampling and when scoring, so the log-probs are those of the
 * distribution the tokens were drawn from.
 */
export interface Suppress { ids: number[]; minNew: number }

/** Rows padded to [B, T] and the flat positions [N] whose next token is a completion token. */
export interface SeqBatch {
  x: Int32Array;
  rows: number;
  cols: number;
  /** Position (b·T + t) that predicts each completion token, row-major over the rows' tokens. */
  gather: Int32Array;
  /** The completion tokens [N]. */
  targets: Int32Array;
  /** 1 where the position is before min_new_tokens (end tokens masked), per completion token [N]. */
  early?: Uint8Array;
  suppress?: Suppress;
}

export function packRows(rows: Row[], pad = 0, suppress?: Suppress): SeqBatch {
  const T = Math.max(...rows.map((r) => r.prompt.length + r.response.length));
  const x = new Int32Array(rows.length * T).fill(pad);
  const gather: number[] = [], targets: number[] = [], early: number[] = [];
  rows.forEach((r, b) => {
    x.set([...r.prompt, ...r.response], b * T);
    r.response.forEach((id, j) => { gather.push(b * T + r.prompt.length + j - 1); targets.push(id); early.push(suppress && j < suppress.minNew ? 1 : 0); });
  });
  const out: SeqBatch = { x, rows: rows.length, cols: T, gather: Int32Array.from(gather), targets: Int32Array.from(targets) };
  if (suppress && suppress.minNew > 0 && suppress.ids.length) { out.early = Uint8Array.from(early); out.suppress = suppress; }
  return out;
}

export interface PolicyOutputs { logp: tf.Tensor1D; logits: tf.Tensor2D; values: tf.Tensor1D | null }

/** Log-probs [N], logits [N, V] and (with a head) values [N] of the batch's completion tokens. Call inside tf.tidy. */
export function policyOutputs(model: GPT, head: ValueHead | null, b: SeqBatch, temperature: number, training: boolean): PolicyOutputs {
  const h = model.hidden(tf.tensor2d(b.x, [b.rows, b.cols], 'int32'), training); // [B*T, C]
  const hs = gatherRows(h as tf.Tensor2D, tf.tensor1d(b.gather, 'int32')); // [N, C]
  let logits = model.logits(hs) as tf.Tensor2D; // tied lm_head: [N, C] → [N, V]
  if (b.early && b.suppress) logits = tf.add(logits, suppressionMask(b.early, b.suppress.ids, logits.shape[1])) as tf.Tensor2D;
  const logp = tokenLogprobs(logits, tf.tensor1d(b.targets, 'int32'), temperature); // [N]
  return { logp, logits, values: head ? head.values(hs) : null };
}

/** Additive mask [N, V]: −1e9 at the end-token columns of early rows (a constant: no gradient). */
function suppressionMask(early: Uint8Array, ids: number[], V: number): tf.Tensor2D {
  const m = new Float32Array(early.length * V);
  early.forEach((e, r) => { if (e) for (const id of ids) if (id < V) m[r * V + id] = -1e9; });
  return tf.tensor2d(m, [early.length, V]);
}

/** Forward-only log-probs (and values) as arrays, in chunks of `chunk` rows. */
export function scoreRows(model: GPT, head: ValueHead | null, rows: Row[], temperature: number, chunk: number, suppress?: Suppress): { logp: Float32Array; values: Float32Array } {
  const logp: number[] = [], values: number[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const b = packRows(rows.slice(i, i + chunk), 0, suppress);
    const [lp, v] = tf.tidy(() => {
      const o = policyOutputs(model, head, b, temperature, false);
      return [o.logp, o.values ?? tf.zeros([b.targets.length])];
    });
    logp.push(...(lp!.dataSync() as Float32Array));
    values.push(...(v!.dataSync() as Float32Array));
    tf.dispose([lp!, v!]);
  }
  return { logp: Float32Array.from(logp), values: Float32Array.from(values) };
}
