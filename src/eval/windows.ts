/**
 * @fileoverview Scoring requests and lm-evaluation-harness's rolling windows.
 *
 * A `ScoreRequest` is one forward pass over `input` (at most block_size ids) that scores the
 * last `targets.length` positions: position i of the scored tail predicts `targets[i]`.
 *
 * Rolling windows (`loglikelihood_rolling`, lm_eval/utils.py `get_rolling_token_windows`):
 * every token of a document is scored exactly once; the first window starts from a prefix
 * token (end-of-text), later windows slide by up to `blockSize − contextLen + 1` tokens, so
 * each token sees up to block_size tokens of context and at least `contextLen`.
 *
 *   doc  = t0 t1 t2 t3 t4 t5 t6, blockSize 3, contextLen 1
 *   w0: input [eot t0 t1] → targets [t0 t1 t2]
 *   w1: input [t2 t3 t4]  → targets [t3 t4 t5]
 *   w2: input [t3 t4 t5]  → targets [t6]        (the last window keeps its full context)
 */

/** One forward pass: score the last `targets.length` positions of `input`. */
export interface ScoreRequest {
  /** Model input ids, 1..block_size long. */
  input: number[];
  /** Ids predicted by the last `targets.length` positions of `input`. */
  targets: number[];
}

/**
 * Rolling windows over one document's ids (lm-eval's `get_rolling_token_windows` followed by
 * `make_disjoint_window`).
 * @param prefix id fed before the first token (end-of-text); null: the first token is not scored.
 * @param contextLen minimum context of every scored token after the first window. @default 1
 */
export function rollingWindows(ids: ArrayLike<number>, blockSize: number, prefix: number | null, contextLen = 1): ScoreRequest[] {
  if (contextLen < 1 || contextLen > blockSize) throw new Error(`contextLen must be in 1..${blockSize}`);
  const tokens = Array.from(ids);
  const out: ScoreRequest[] = [];
  if (prefix === null) {
    // No prefix: score tokens[1..] with tokens[0] as the first context.
    if (tokens.length < 2) return out;
    for (const w of rollingWindows(tokens.slice(1), blockSize, tokens[0]!, contextLen)) out.push(w);
    return out;
  }
  if (tokens.length === 0) return out;
  const predLen = blockSize - contextLen + 1;
  const first = Math.min(blockSize, tokens.length);
  out.push({ input: [prefix, ...tokens.slice(0, first - 1)], targets: tokens.slice(0, first) });
  let predicted = first;
  while (predicted < tokens.length) {
    const n = Math.min(tokens.length - predicted, predLen);
    const end = predicted + n;
    // Full block_size input ending just before the last target (the harness's window).
    const input = tokens.slice(Math.max(0, end - blockSize - 1), end - 1);
    out.push({ input, targets: tokens.slice(end - n, end) });
    predicted += n;
  }
  return out;
}

/**
 * A continuation request (lm-eval `loglikelihood`): the model sees `context + continuation`,
 * truncated on the left to block_size + 1 ids, and the continuation's ids are scored.
 */
export function continuationRequest(context: number[], continuation: number[], blockSize: number): ScoreRequest {
  if (continuation.length === 0) throw new Error('continuation is empty');
  const whole = [...context, ...continuation].slice(-(blockSize + 1));
  const targets = continuation.slice(-Math.min(continuation.length, blockSize));
  return { input: whole.slice(0, -1), targets };
}

/** Splits a token stream into documents at the end-of-text id (separators dropped, empty docs skipped). */
export function splitDocuments(ids: ArrayLike<number>, eot: number | null): Uint32Array[] {
  const all = Uint32Array.from(ids as ArrayLike<number>);
  if (eot === null) return all.length > 0 ? [all] : [];
  const docs: Uint32Array[] = [];
  let start = 0;
  for (let i = 0; i <= all.length; i++) {
    if (i === all.length || all[i] === eot) {
      if (i > start) docs.push(all.subarray(start, i));
      start = i + 1;
    }
  }
  return docs;
}
