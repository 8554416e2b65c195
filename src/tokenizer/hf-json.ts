/**
 * @fileoverview Reads Hugging Face `tokenizer.json` (the DESIGN.md contract); bpe-spec.ts
 * writes the byte-level BPE form and char.ts the char-level one.
 *
 * Besides the GPT-2 layout that bpe-spec.ts writes, read files may store merges as `[a, b]`
 * pairs (tokenizers ≥ 0.20), use `add_prefix_space`, or a
 * `Sequence[Split(regex), ByteLevel(use_regex=false)]` pre-tokenizer. Char-level files (see
 * char.ts) are recognised by their missing pre-tokenizer.
 */
import { errors, type TrainyardError } from '../errors/index.js';
import { BpeTokenizer } from './bpe.js';
import type { BpeSpec } from './bpe-spec.js';
import { byteLevelToBytes } from './bytes.js';
import { CharTokenizer } from './char.js';
import { GPT2_PATTERN } from './pretokenize.js';
import type { Tokenizer } from './types.js';

type Json = Record<string, any>;

function bad(message: string, hint?: string): TrainyardError {
  return errors.tokenizerUnsupported({ problem: message, hint });
}

/** Builds a Tokenizer from a parsed HF `tokenizer.json`. Throws E_ARTIFACT for unsupported files. */
export function tokenizerFromJSON(json: object): Tokenizer {
  const j = json as Json;
  const model = j.model as Json | undefined;
  if (!model || typeof model !== 'object') throw bad('no "model" section');
  if (model.type !== undefined && model.type !== 'BPE') throw bad(`model type "${model.type}" is not supported`);
  if (!model.vocab || typeof model.vocab !== 'object') throw bad('model has no vocab');
  if (j.normalizer && !(j.normalizer.type === 'Sequence' && (j.normalizer.normalizers ?? []).length === 0)) {
    throw bad(`normalizer "${j.normalizer.type}" is not supported`);
  }
  const added = (Array.isArray(j.added_tokens) ? j.added_tokens : []) as Array<{ id: number; content: string }>;
  if (!j.pre_tokenizer && j.decoder?.type !== 'ByteLevel') return charFromJson(model, added);
  return new BpeTokenizer(bpeSpecFromJson(j, model, added));
}

function charFromJson(model: Json, added: Array<{ id: number; content: string }>): CharTokenizer {
  const chars: string[] = [];
  for (const [c, id] of Object.entries(model.vocab as Record<string, number>)) chars[id] = c;
  for (const a of added) chars[a.id] = a.content;
  if (chars.some((c) => c === undefined) || chars.length === 0) throw bad('char-level vocab ids are not contiguous');
  const specials = added.map((a) => a.content);
  return new CharTokenizer(chars, specials);
}

function bpeSpecFromJson(j: Json, model: Json, added: Array<{ id: number; content: string }>): BpeSpec {
  const specials = new Map(added.map((a) => [a.content, a.id]));
  const tokens: Array<Uint8Array | null> = [];
  const idOf = new Map<string, number>();
  for (const [text, id] of Object.entries(model.vocab as Record<string, number>)) {
    idOf.set(text, id);
    if (specials.get(text) === id) continue;
    const bytes = byteLevelToBytes(text);
    if (bytes) tokens[id] = bytes;
  }
  for (let i = 0; i < tokens.length; i++) tokens[i] ??= null;
  const merges: Array<[number, number]> = [];
  for (const m of (model.merges ?? []) as Array<string | [string, string]>) {
    const [a, b] = typeof m === 'string' ? splitMerge(m) : m;
    const ia = idOf.get(a), ib = idOf.get(b);
    if (ia === undefined || ib === undefined) throw bad(`merge "${a} ${b}" names a token missing from the vocab`);
    merges.push([ia, ib]);
  }
  return { tokens, merges, specials, ...preTokenizerOf(j.pre_tokenizer as Json) };
}

function splitMerge(m: string): [string, string] {
  const i = m.indexOf(' ', 1);
  if (i < 0) throw bad(`malformed merge "${m}"`);
  return [m.slice(0, i), m.slice(i + 1)];
}

function preTokenizerOf(p: Json): { addPrefixSpace: boolean; pattern: string } {
  if (p.type === 'ByteLevel') {
    return { addPrefixSpace: Boolean(p.add_prefix_space), pattern: p.use_regex === false ? '[\\s\\S]+' : GPT2_PATTERN };
  }
  if (p.type === 'Sequence' && Array.isArray(p.pretokenizers) && p.pretokenizers.length === 2) {
    const [split, bl] = p.pretokenizers as [Json, Json];
    if (split.type === 'Split' && split.pattern?.Regex && bl.type === 'ByteLevel' && split.behavior === 'Isolated' && !split.invert) {
      try {
        new RegExp(split.pattern.Regex, 'gu');
      } catch {
        throw bad(`split pattern is not a JavaScript regular expression: ${split.pattern.Regex}`);
      }
      return { addPrefixSpace: Boolean(bl.add_prefix_space), pattern: split.pattern.Regex };
    }
  }
  throw bad(`pre_tokenizer "${p.type}" is not supported`);
}
