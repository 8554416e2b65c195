/**
 * @fileoverview Adds special tokens to a tokenizer (chat-template markers such as
 * `<|im_start|>`), as transformers' `add_special_tokens` does: a token the tokenizer already
 * has keeps its id (a regular token of the same text becomes special in place); a new one
 * gets the next free id (vocabSize, vocabSize + 1, …), so the model's embedding only grows
 * at the end. The result is rebuilt from its
 * `tokenizer.json` form, so its toJSON() carries the new tokens into the exported file.
 */
import { addedToken } from './char.js';
import { tokenizerFromJSON } from './hf-json.js';
import type { Tokenizer } from './types.js';

/**
 * Returns a tokenizer with `tokens` as special tokens, and the ones that got new ids (in the
 * order given; duplicates, tokens already special and regular tokens promoted in place are
 * not listed, as they need no new embedding row). Works for every
 * tokenizer tokenizerFromJSON reads (byte-level BPE and char-level).
 */
export function addSpecialTokens(tok: Tokenizer, tokens: string[]): { tokenizer: Tokenizer; added: string[] } {
  const wanted = [...new Set(tokens)].filter((t) => t !== '' && !tok.specialTokens.has(t));
  if (wanted.length === 0) return { tokenizer: tok, added: [] };
  const json = structuredClone(tok.toJSON()) as { added_tokens?: object[]; model: { vocab: Record<string, number> } };
  const vocab = json.model.vocab;
  const entries = json.added_tokens ?? [];
  const added: string[] = [];
  for (const content of wanted) {
    let id = vocab[content];
    if (id === undefined) {
      id = tok.vocabSize + added.length;
      vocab[content] = id;
      added.push(content);
    }
    entries.push(addedToken(id, content));
  }
  json.added_tokens = entries;
  return { tokenizer: tokenizerFromJSON(json), added };
}
