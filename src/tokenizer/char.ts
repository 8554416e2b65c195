/**
 * @fileoverview Character-level tokenizer for tiny demos (nanoGPT's shakespeare_char): the
 * vocabulary is the special tokens, then the sorted set of characters (Unicode code points)
 * seen in the text. Characters not in the vocabulary are dropped when encoding.
 *
 * Saved as a Hugging Face `tokenizer.json` that `tokenizers` loads as is: a `BPE` model whose
 * vocab is the characters and whose `merges` list is empty (so every character is one token),
 * no normalizer and no pre-tokenizer (the whole text is one word, split into characters), and
 * a `Fuse` decoder (tokens are concatenated, not joined with spaces).
 */
import { splitSpecials } from './specials.js';
import type { EncodeOptions, Tokenizer } from './types.js';

export class CharTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly eotId: number | null;
  readonly specialTokens: ReadonlyMap<string, number>;
  /** Token text by id (specials first). */
  readonly chars: readonly string[];
  private readonly ids: Map<string, number>;

  /** @param chars token text by id; the first `specials.length` entries are special tokens. */
  constructor(chars: readonly string[], specials: readonly string[]) {
    this.chars = chars;
    this.ids = new Map(chars.map((c, i) => [c, i]));
    this.specialTokens = new Map(specials.map((s) => [s, this.ids.get(s)!]));
    this.vocabSize = chars.length;
    this.eotId = this.specialTokens.get('<|endoftext|>') ?? (specials.length > 0 ? this.specialTokens.get(specials[0]!)! : null);
  }

  encode(text: string, opts?: EncodeOptions): number[] {
    const out: number[] = [];
    const parts = opts?.allowSpecial ? splitSpecials(text, this.specialTokens) : [text];
    for (const part of parts) {
      if (typeof part === 'number') { out.push(part); continue; }
      for (const ch of part) {
        const id = this.ids.get(ch);
        if (id !== undefined && !this.specialTokens.has(ch)) out.push(id);
      }
    }
    return out;
  }

  encodeToArray(text: string, opts?: EncodeOptions): Uint32Array {
    return Uint32Array.from(this.encode(text, opts));
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.chars[ids[i]!] ?? '';
    return s;
  }

  toJSON(): object {
    const specials = [...this.specialTokens];
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map(([content, id]) => addedToken(id, content)),
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: { type: 'Fuse' },
      model: {
        type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
        fuse_unk: false, byte_fallback: false, vocab: Object.fromEntries(this.chars.map((c, i) => [c, i])), merges: [],
      },
    };
  }
}

/** An HF `added_tokens` entry for a special token. */
export function addedToken(id: number, content: string): object {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** Builds a char tokenizer from the characters of `texts` (plus special tokens first). */
export function charTokenizer(texts: Iterable<string>, opts: { specialTokens?: string[] } = {}): CharTokenizer {
  const specials = opts.specialTokens ?? ['<|endoftext|>'];
  const seen = new Set<string>();
  for (const t of texts) for (const ch of t) seen.add(ch);
  for (const s of specials) seen.delete(s);
  // Sort by code point (not UTF-16 units) so astral characters order as in Python's sorted().
  const chars = [...seen].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return new CharTokenizer([...specials, ...chars], specials);
}
