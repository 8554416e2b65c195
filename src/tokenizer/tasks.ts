/**
 * @fileoverview TokenizerPool's tasks, run in ThreadPool workers: `setup` builds the
 * tokenizer once from its tokenizer.json, then `encode` and `count` answer batches of texts.
 */
import { WordCounter } from './count.js';
import { tokenizerFromJSON } from './hf-json.js';
import type { Tokenizer } from './types.js';

let tok: Tokenizer | null = null;

/** Builds the worker's tokenizer (none for a counting-only pool). */
export function setup(init: { tokenizer: object | null }): void {
  tok = init.tokenizer ? tokenizerFromJSON(init.tokenizer) : null;
}

/** Ids of each text, in order. */
export function encode(texts: string[]): Uint32Array[] {
  if (!tok) throw new Error('worker has no tokenizer');
  return texts.map((t) => tok!.encodeToArray(t));
}

/** Pre-token counts of a batch, as parallel arrays (merged by WordCounter.merge). */
export interface CountReply { words: string[]; counts: Float64Array }

export function count(texts: string[], o: { specials: string[]; pattern?: string }): CountReply {
  const c = new WordCounter(o.specials, o.pattern);
  for (const t of texts) c.add(t);
  return { words: [...c.counts.keys()], counts: Float64Array.from(c.counts.values()) };
}
