/**
 * @fileoverview The tokenizer of a Hugging Face GPT-2 folder as a `tokenizer.json` object:
 * the folder's own tokenizer.json, or, for older uploads that ship only the slow tokenizer's
 * `vocab.json` + `merges.txt`, the equivalent byte-level BPE tokenizer.json built from them
 * (what `GPT2TokenizerFast` converts them to). Either is checked by our reader before use.
 *
 *   const { json, source } = await readFolderTokenizer('models/gpt2');
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { tokenizerFromJSON } from '../tokenizer/index.js';
import { readJsonFile } from '../util/json-file.js';

/** Special tokens of GPT-2 style vocabularies (`<|endoftext|>`), told apart from text tokens. */
const SPECIAL = /^<\|[^|\s]+\|>$/;

/** A folder's tokenizer.json object and where it came from (`tokenizer.json` or `vocab.json + merges.txt`). */
export async function readFolderTokenizer(dir: string): Promise<{ json: object; source: string }> {
  const file = join(dir, 'tokenizer.json');
  if (existsSync(file)) {
    const json = await readJsonFile(file, {
      missing: (cause) => errors.modelFileMissing({ file }, { cause }),
      invalid: (cause) => errors.tokenizerNotJson({ file }, { cause }),
    });
    if (!json || typeof json !== 'object') throw errors.tokenizerNotJson({ file });
    tokenizerFromJSON(json);
    return { json, source: 'tokenizer.json' };
  }
  const vocabFile = join(dir, 'vocab.json'), mergesFile = join(dir, 'merges.txt');
  const missing = [vocabFile, mergesFile].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw errors.modelTokenizerMissing({ dir, missing: missing.length === 2 ? 'nor vocab.json + merges.txt to build one from' : `and ${missing[0]} is missing to build one` });
  }
  const vocab = await readJsonFile(vocabFile, {
    missing: (cause) => errors.modelFileMissing({ file: vocabFile }, { cause }),
    invalid: (cause) => errors.tokenizerNotJson({ file: vocabFile }, { cause }),
  });
  if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab) || !Object.values(vocab).every((v) => Number.isInteger(v))) {
    throw errors.modelConfigInvalid({ file: vocabFile, problem: 'expected a JSON object of token → id' });
  }
  const json = tokenizerJsonFromVocabMerges(vocab as Record<string, number>, await readFile(mergesFile, 'utf8'));
  tokenizerFromJSON(json);
  return { json, source: 'vocab.json + merges.txt' };
}

/**
 * The GPT-2 byte-level BPE tokenizer.json for a slow tokenizer's `vocab.json` (token → id,
 * in the byte-to-unicode alphabet) and `merges.txt` (`#version` line, then one `a b` merge a
 * line, in rank order). `<|…|>` entries of the vocab become special added tokens.
 */
export function tokenizerJsonFromVocabMerges(vocab: Record<string, number>, mergesText: string): object {
  const merges = mergesText.split(/\r?\n/).filter((l) => l.length > 0 && !l.startsWith('#version'));
  const specials = Object.entries(vocab).filter(([t]) => SPECIAL.test(t)).sort((a, b) => a[1] - b[1]);
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, vocab, merges,
    },
  };
}
