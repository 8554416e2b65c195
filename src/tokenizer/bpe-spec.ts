/**
 * @fileoverview What defines a byte-level BPE tokenizer (BpeSpec), and its Hugging Face
 * `tokenizer.json` form (the DESIGN.md contract). It lives apart from bpe.ts (the encoder,
 * which saves itself with bpeToHfJson) and hf-json.ts (the reader, which builds a
 * BpeTokenizer), so that those two do not import each other: bpe.ts → bpe-spec.ts and
 * hf-json.ts → bpe.ts, bpe-spec.ts.
 *
 * Written files follow GPT-2's layout in `tokenizers`: a `BPE` model (vocab in GPT-2's
 * byte-to-unicode alphabet, merges as `"a b"` strings, which every `tokenizers` version
 * reads), a `ByteLevel` pre-tokenizer and decoder, and special tokens in `added_tokens`.
 */
import { bytesToByteLevel } from './bytes.js';
import { addedToken } from './char.js';
import { GPT2_PATTERN } from './pretokenize.js';

/** Everything that defines a byte-level BPE tokenizer. */
export interface BpeSpec {
  /** Raw bytes of each regular token, by id (null for ids that are specials or unused). */
  tokens: Array<Uint8Array | null>;
  /** Merges in rank order, as pairs of ids. */
  merges: Array<[number, number]>;
  /** Special token text → id. */
  specials: Map<string, number>;
  /** Prepend a space to text that does not start with one (HF `add_prefix_space`). @default false */
  addPrefixSpace?: boolean;
  /** Split pattern. @default GPT2_PATTERN */
  pattern?: string;
}

/** The HF `tokenizer.json` object of a byte-level BPE spec. */
export function bpeToHfJson(spec: BpeSpec): object {
  const vocab: Record<string, number> = {};
  spec.tokens.forEach((t, id) => { if (t) vocab[bytesToByteLevel(t)] = id; });
  for (const [content, id] of spec.specials) vocab[content] = id;
  const name = (id: number): string => bytesToByteLevel(spec.tokens[id]!);
  const custom = spec.pattern !== undefined && spec.pattern !== GPT2_PATTERN;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: spec.addPrefixSpace ?? false, trim_offsets: true, use_regex: !custom };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...spec.specials].sort((a, b) => a[1] - b[1]).map(([content, id]) => addedToken(id, content)),
    normalizer: null,
    pre_tokenizer: custom
      ? { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: spec.pattern }, behavior: 'Isolated', invert: false }, byteLevel] }
      : byteLevel,
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: false, byte_fallback: false, vocab, merges: spec.merges.map(([a, b]) => `${name(a)} ${name(b)}`),
    },
  };
}
