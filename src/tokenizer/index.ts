/**
 * @fileoverview Public API of the tokenizer: byte-level BPE (train, load, save) and a
 * char-level tokenizer, all saved as Hugging Face `tokenizer.json`.
 *
 *   const tok = await trainBpe(texts, { vocabSize: 4096 });
 *   const ids = tok.encode('Hello world');          // number[]
 *   tok.decode(ids);                                // 'Hello world'
 *   await writeFile('tokenizer.json', JSON.stringify(tok.toJSON()));
 *   const same = await loadTokenizer('tokenizer.json');
 *   const gpt2 = await loadTokenizer('gpt2');       // GPT-2's ranks from js-tiktoken
 */
import { readFile } from 'node:fs/promises';
import { errors } from '../errors/index.js';
import { BpeTokenizer } from './bpe.js';
import { countWords } from './parallel.js';
import { tokenizerFromJSON } from './hf-json.js';
import { loadTiktokenRanks } from './tiktoken.js';
import { trainFromCounts, type TrainOptions } from './trainer.js';
import type { Tokenizer } from './types.js';

export type { Tokenizer, EncodeOptions } from './types.js';
export type { TrainOptions } from './trainer.js';
export { BpeTokenizer } from './bpe.js';
export { CharTokenizer, charTokenizer } from './char.js';
export { tokenizerFromJSON } from './hf-json.js';
export { addSpecialTokens } from './add-tokens.js';
export { GPT2_PATTERN, pretokenize } from './pretokenize.js';

import { PRETRAINED_NAMES } from './names.js';

export { PRETRAINED_NAMES } from './names.js';

/**
 * Loads a tokenizer: a Hugging Face `tokenizer.json` path (byte-level BPE or Trainyard's
 * char-level file), or `gpt2` / `r50k_base` for the tiktoken ranks shipped in js-tiktoken.
 */
export async function loadTokenizer(path: string): Promise<Tokenizer> {
  if ((PRETRAINED_NAMES as readonly string[]).includes(path)) return new BpeTokenizer(await loadTiktokenRanks(path));
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw errors.tokenizerUnreadable({ file: path, pretrained: PRETRAINED_NAMES }, { cause: err });
  }
  let json: object;
  try {
    json = JSON.parse(text) as object;
  } catch (err) {
    throw errors.tokenizerNotJson({ file: path }, { cause: err });
  }
  return tokenizerFromJSON(json);
}

/** Trains a byte-level BPE tokenizer (GPT-2 pre-tokenizer, 256 byte tokens, specials first). */
export async function trainBpe(docs: AsyncIterable<string> | Iterable<string>, opts: TrainBpeOptions): Promise<Tokenizer> {
  const counter = await countWords(docs, opts.specialTokens ?? ['<|endoftext|>'], opts.threads ?? 1, opts.onCountProgress);
  return new BpeTokenizer(trainFromCounts(counter.counts, opts));
}

export interface TrainBpeOptions extends TrainOptions {
  /** Worker threads counting words; the result is the same for any value. @default 1 */
  threads?: number;
  /** Called now and then while counting, with the number of documents read. */
  onCountProgress?: (docs: number) => void;
}
