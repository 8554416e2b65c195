/**
 * @fileoverview Last-word cloze built from held-out text, scored LAMBADA-style (lm-eval
 * `lambada_openai`: context = the passage up to its last word, target = " " + last word;
 * `acc` = the greedy continuation is exactly the target, plus the target's perplexity).
 *
 * Passages are paragraphs (blank-line separated) of at least `minWords` words whose last word
 * is alphabetic; trailing punctuation after it is dropped, as in LAMBADA's preprocessing.
 */
import type { GPT } from '../model/gpt.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { mean, meanStderr, type BootstrapOptions } from './bootstrap.js';
import { scoreRequests, sumLogprobs, type ScoreOptions } from './scorer.js';
import { encodePair } from './tasks.js';
import { continuationRequest } from './windows.js';

export interface ClozeItem { context: string; target: string }

/** Last-word items from texts; at most `maxItems`, evenly spread over all candidates. */
export function lastWordItems(texts: Iterable<string>, o: { minWords?: number; maxItems?: number } = {}): ClozeItem[] {
  const minWords = o.minWords ?? 20;
  const all: ClozeItem[] = [];
  for (const text of texts) {
    for (const para of text.split(/\n\s*\n/)) {
      const p = para.replace(/\s+/g, ' ').trim();
      const m = /^(.*\S)\s+(\p{L}[\p{L}']*)[^\p{L}\p{N}\s]*$/u.exec(p);
      if (!m || p.split(' ').length < minWords) continue;
      all.push({ context: m[1]!, target: m[2]! });
    }
  }
  const max = o.maxItems ?? 500;
  if (all.length <= max) return all;
  return Array.from({ length: max }, (_, i) => all[Math.floor((i * all.length) / max)]!);
}

export interface ClozeResult {
  /** <name>.acc, <name>.acc_stderr, <name>.perplexity, <name>.items */
  metrics: Record<string, number>;
  records: Array<ClozeItem & { loglikelihood: number; greedy: boolean }>;
}

/**
 * Scores the items: greedy exact-match accuracy and perplexity of the target word, as metrics
 * named `<name>.acc` … (the eval stage reports them as `lambada.*`).
 */
export async function scoreCloze(model: GPT, tok: Tokenizer, items: ClozeItem[], o: ScoreOptions & { bootstrap?: BootstrapOptions; name?: string } = {}): Promise<ClozeResult> {
  const name = o.name ?? 'cloze';
  const requests = items.map((it) => {
    const p = encodePair(tok, it.context, ' ' + it.target);
    return continuationRequest(p.context, p.continuation, model.config.block_size);
  });
  const scored = await scoreRequests(model, requests, o);
  const acc = scored.map((s) => (s.greedy ? 1 : 0));
  let nll = 0;
  let n = 0;
  for (const s of scored) { nll -= sumLogprobs(s); n += s.logprobs.length; }
  return {
    metrics: { [`${name}.acc`]: mean(acc), [`${name}.acc_stderr`]: meanStderr(acc, o.bootstrap), [`${name}.perplexity`]: Math.exp(nll / Math.max(1, n)), [`${name}.items`]: items.length },
    records: items.map((it, i) => ({ ...it, loglikelihood: sumLogprobs(scored[i]!), greedy: scored[i]!.greedy })),
  };
}
