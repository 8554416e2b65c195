/**
 * @fileoverview Gopher repetition rules (Table A1 of the Gopher paper; datatrove
 * `GopherRepetitionFilter`): duplicate lines/paragraphs, top n-gram and duplicate n-gram
 * character fractions.
 */
import { fmix32 } from '../../../util/hash.js';
import { defineFilter } from '../../../plugins/define.js';
import type { FilterResult } from '../../../plugins/contracts.js';
import { drop, numberOption, optionsSchema } from './types.js';
import { findDuplicates, tokenizeWords } from './words.js';

/** `[n, largest character fraction]` pairs. */
type NGramThresholds = Array<[number, number]>;

export interface GopherRepetitionOptions {
  dup_line_frac: number;
  dup_para_frac: number;
  dup_line_char_frac: number;
  dup_para_char_frac: number;
  top_n_grams: NGramThresholds;
  dup_n_grams: NGramThresholds;
}

const ratio = { minimum: 0, maximum: 1 };

function nGramsOption(defaultValue: NGramThresholds, description: string): Record<string, unknown> {
  const pair = { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'integer', minimum: 1 }, { type: 'number', ...ratio }] };
  return { type: 'array', items: pair, default: defaultValue, description };
}

export const gopherRepetition = defineFilter<GopherRepetitionOptions>({
  name: 'gopher-repetition',
  description: 'Gopher repetition heuristics: duplicate lines/paragraphs and repeated n-grams',
  schema: optionsSchema({
    dup_line_frac: numberOption(0.3, 'Largest share of duplicated lines.', ratio),
    dup_para_frac: numberOption(0.3, 'Largest share of duplicated paragraphs.', ratio),
    dup_line_char_frac: numberOption(0.2, 'Largest share of characters in duplicated lines.', ratio),
    dup_para_char_frac: numberOption(0.2, 'Largest share of characters in duplicated paragraphs.', ratio),
    top_n_grams: nGramsOption([[2, 0.2], [3, 0.18], [4, 0.16]], '[n, fraction]: largest character share of the most common n-gram.'),
    dup_n_grams: nGramsOption([[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]], '[n, fraction]: largest character share of repeated n-grams.'),
  }),
  create(o) {
    return (doc) => {
      const text = doc.text;
      if (text.length === 0) return true;
      const paras = text.trim().split(/\n{2,}/u);
      const pd = findDuplicates(paras);
      if (pd.count / paras.length > o.dup_para_frac) return drop('dup_para_frac', pd.count / paras.length, o.dup_para_frac);
      if (pd.chars / text.length > o.dup_para_char_frac) return drop('dup_para_char_frac', pd.chars / text.length, o.dup_para_char_frac);
      const lines = text.split(/\n+/u);
      const ld = findDuplicates(lines);
      if (ld.count / lines.length > o.dup_line_frac) return drop('dup_line_frac', ld.count / lines.length, o.dup_line_frac);
      if (ld.chars / text.length > o.dup_line_char_frac) return drop('dup_line_char_frac', ld.chars / text.length, o.dup_line_char_frac);
      return nGramChecks(tokenizeWords(text), text.length, o.top_n_grams, o.dup_n_grams);
    };
  },
});

function nGramChecks(words: string[], textLen: number, top: NGramThresholds, dup: NGramThresholds): FilterResult {
  const g = new Grams(words);
  for (const [n, frac] of top) {
    const v = g.topDuplicate(n) / textLen;
    if (v > frac) return drop(`top_${n}_gram`, v, frac);
  }
  for (const [n, frac] of dup) {
    const v = g.allDuplicate(n) / textLen;
    if (v > frac) return drop(`duplicated_${n}_n_grams`, v, frac);
  }
  return true;
}

/**
 * N-grams as numbers: words become integer ids and an n-gram a 30-bit key (a small integer,
 * which V8 maps hash fast), verified against the ids on every hit; the rare colliding n-grams
 * fall back to an exact string key. Character lengths come from prefix sums.
 */
class Grams {
  private readonly ids: Int32Array;
  private readonly prefix: Float64Array;

  constructor(words: string[]) {
    const vocab = new Map<string, number>();
    this.ids = new Int32Array(words.length);
    this.prefix = new Float64Array(words.length + 1);
    words.forEach((w, i) => {
      let id = vocab.get(w);
      if (id === undefined) vocab.set(w, (id = vocab.size));
      this.ids[i] = id;
      this.prefix[i + 1] = this.prefix[i]! + w.length;
    });
  }

  private key(i: number, n: number): number {
    let a = 0x811c9dc5;
    for (let k = i; k < i + n; k++) a = fmix32((a ^ this.ids[k]!) + 0x9e3779b9);
    return a & 0x3fffffff;
  }

  private same(i: number, j: number, n: number): boolean {
    for (let k = 0; k < n; k++) if (this.ids[i + k] !== this.ids[j + k]) return false;
    return true;
  }

  /** Position of the first occurrence of the n-gram at `i` (registering it if new), or -1 if new. */
  private lookup(map: Map<number | string, number>, i: number, n: number): number {
    const k = this.key(i, n);
    const first = map.get(k);
    if (first === undefined) { map.set(k, i); return -1; }
    if (this.same(first, i, n)) return first;
    const exact = Array.from(this.ids.subarray(i, i + n)).join(',');
    const f2 = map.get(exact);
    if (f2 === undefined) { map.set(exact, i); return -1; }
    return f2;
  }

  /** `find_top_duplicate`: length of the most common n-gram (space-joined) times its count. */
  topDuplicate(n: number): number {
    const firsts = new Map<number | string, number>();
    const counts = new Map<number, number>(); // first position → count, in insertion order
    for (let i = 0; i + n <= this.ids.length; i++) {
      const first = this.lookup(firsts, i, n);
      if (first < 0) counts.set(i, 1); else counts.set(first, counts.get(first)! + 1);
    }
    // Counter.most_common(1): the highest count, first inserted on ties.
    let best = -1, bestCount = 0;
    for (const [first, c] of counts) if (c > bestCount) { best = first; bestCount = c; }
    if (best < 0) return 0;
    return (this.prefix[best + n]! - this.prefix[best]! + n - 1) * bestCount;
  }

  /** `find_all_duplicate`: characters in repeated n-grams (joined without spaces), skipping n words on a hit. */
  allDuplicate(n: number): number {
    const seen = new Map<number | string, number>();
    let chars = 0;
    for (let i = 0; i + n <= this.ids.length;) {
      if (this.lookup(seen, i, n) >= 0) { chars += this.prefix[i + n]! - this.prefix[i]!; i += n; } else i++;
    }
    return chars;
  }
}
