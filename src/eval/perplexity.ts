/**
 * @fileoverview Rolling perplexity and bits per byte over whole documents (lm-eval
 * `loglikelihood_rolling`; formulas of lm_eval/api/metrics.py):
 *
 *   loss           = ΣNLL / Σtokens                 (nats per token)
 *   perplexity     = exp(loss)                      (token-level; tokenizer-dependent)
 *   bits_per_byte  = ΣNLL / (ln 2 · ΣUTF-8 bytes)   (tokenizer-independent)
 *   byte_perplexity= exp(ΣNLL / Σbytes),  word_perplexity = exp(ΣNLL / Σwords split on \s+)
 *
 * Bytes and words are counted on the decoded text of the scored tokens of each document.
 * Standard errors bootstrap over windows (each window's bytes are those of its decoded targets).
 */
import type { GPT } from '../model/gpt.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { bootstrapStderr, weightedRatio, type BootstrapOptions } from './bootstrap.js';
import { scoreRequests, sumLogprobs, type ScoreOptions } from './scorer.js';
import { rollingWindows, type ScoreRequest } from './windows.js';

export interface PerplexityOptions extends ScoreOptions {
  /** Minimum context of each scored token after a document's first window. @default 1 */
  contextLen?: number;
  bootstrap?: BootstrapOptions;
}

export interface PerplexityResult {
  /** Flat metrics: loss, perplexity, bits_per_byte, byte_perplexity, word_perplexity (+ _stderr), tokens, bytes, words, documents. */
  metrics: Record<string, number>;
  /** Total NLL in nats. */
  nll: number;
  /** The windows that were scored (for reference computations). */
  windows: ScoreRequest[];
}

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Text of the scored part of a document (all of it, or all but the first token without a prefix). */
function scoredText(tok: Tokenizer, doc: Uint32Array, prefix: number | null): string {
  const text = tok.decode(doc);
  if (prefix !== null) return text;
  return text.slice(tok.decode(doc.subarray(0, 1)).length);
}

/** Scores every token of every document once and reports the perplexity family. */
export async function rollingPerplexity(model: GPT, tok: Tokenizer, docs: Uint32Array[], o: PerplexityOptions = {}): Promise<PerplexityResult> {
  const bs = model.config.block_size;
  const prefix = tok.eotId;
  const windows: ScoreRequest[] = [];
  let bytes = 0;
  let words = 0;
  for (const doc of docs) {
    windows.push(...rollingWindows(doc, bs, prefix, o.contextLen ?? 1));
    const text = scoredText(tok, doc, prefix);
    bytes += utf8(text);
    words += text.split(/\s+/).filter(Boolean).length;
  }
  const scored = await scoreRequests(model, windows, o);
  const wNll = new Float64Array(windows.length);
  const wTok = new Float64Array(windows.length);
  const wBytes = new Float64Array(windows.length);
  let nll = 0;
  let tokens = 0;
  scored.forEach((s, i) => {
    wNll[i] = -sumLogprobs(s);
    wTok[i] = s.logprobs.length;
    wBytes[i] = utf8(tok.decode(windows[i]!.targets));
    nll += wNll[i]!;
    tokens += wTok[i]!;
  });
  const loss = nll / tokens;
  const se = (f: (w: Uint32Array) => number) => bootstrapStderr(windows.length, f, o.bootstrap);
  const metrics: Record<string, number> = {
    loss, loss_stderr: se((w) => weightedRatio(wNll, wTok, w)),
    perplexity: Math.exp(loss), perplexity_stderr: se((w) => Math.exp(weightedRatio(wNll, wTok, w))),
    bits_per_byte: nll / (Math.LN2 * bytes), bits_per_byte_stderr: se((w) => weightedRatio(wNll, wBytes, w) / Math.LN2),
    byte_perplexity: Math.exp(nll / bytes),
    word_perplexity: Math.exp(nll / words),
    tokens, bytes, words, documents: docs.length,
  };
  return { metrics, nll, windows };
}
