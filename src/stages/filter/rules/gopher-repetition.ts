/**
 * @fileoverview Gopher repetition rules (Table A1 of the Gopher paper; datatrove
 * `GopherRepetitionFilter`): duplicate lines/paragraphs, top n-gram and duplicate n-gram
 * character fractions.
 */
import { drop, type BuiltinRule, type RuleVerdict } from './types.js';
import { findDuplicates, tokenizeWords } from './words.js';

export const gopherRepetition: BuiltinRule = {
  name: 'gopher-repetition',
  description: 'Gopher repetition heuristics: duplicate lines/paragraphs and repeated n-grams',
  defaults: {
    dup_line_frac: 0.3, dup_para_frac: 0.3, dup_line_char_frac: 0.2, dup_para_char_frac: 0.2,
    top_n_grams: [[2, 0.2], [3, 0.18], [4, 0.16]],
    dup_n_grams: [[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]],
  },
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
      return nGramChecks(tokenizeWords(text), text.length, o.top_n_grams as number[][], o.dup_n_grams as number[][]);
    };
  },
};

function nGramChecks(words: string[], textLen: number, top: number[][], dup: number[][]): RuleVerdict {
  for (const [n, frac] of top as Array<[number, number]>) {
    const v = topDuplicate(words, n) / textLen;
    if (v > frac) return drop(`top_${n}_gram`, v, frac);
  }
  for (const [n, frac] of dup as Array<[number, number]>) {
    const v = allDuplicate(words, n) / textLen;
    if (v > frac) return drop(`duplicated_${n}_n_grams`, v, frac);
  }
  return true;
}

/** `find_top_duplicate`: characters of the most common n-gram times its count. */
function topDuplicate(words: string[], n: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const g = words.slice(i, i + n).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  // Counter.most_common(1): the highest count, first inserted on ties.
  let top = '', topCount = 0;
  for (const [g, c] of counts) if (c > topCount) { top = g; topCount = c; }
  return top.length * topCount;
}

/** `find_all_duplicate`: characters in repeated n-grams, skipping ahead n words on a hit. */
function allDuplicate(words: string[], n: number): number {
  const seen = new Set<string>();
  let chars = 0;
  for (let i = 0; i + n <= words.length;) {
    const g = words.slice(i, i + n).join('');
    if (seen.has(g)) { chars += g.length; i += n; } else { seen.add(g); i++; }
  }
  return chars;
}
