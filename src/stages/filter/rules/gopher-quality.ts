/**
 * @fileoverview Gopher quality rules (Rae et al. 2021, arXiv 2112.11446; datatrove
 * `GopherQualityFilter`). Defaults are the published ones.
 */
import { drop, type BuiltinRule } from './types.js';
import { hasAlpha, isNonSymbolWord, tokenizeWords } from './words.js';

const STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];

export const gopherQuality: BuiltinRule = {
  name: 'gopher-quality',
  description: 'Gopher quality heuristics: word count, mean word length, symbols, bullets, ellipses, alphabetic words, stop words',
  defaults: {
    min_doc_words: 50, max_doc_words: 100_000, min_avg_word_length: 3, max_avg_word_length: 10,
    max_symbol_word_ratio: 0.1, max_bullet_lines_ratio: 0.9, max_ellipsis_lines_ratio: 0.3,
    max_non_alpha_words_ratio: 0.8, min_stop_words: 2, stop_words: STOP_WORDS,
  },
  create(o) {
    const stop = new Set<string>(o.stop_words as string[]);
    return (doc) => {
      const text = doc.text;
      const words = tokenizeWords(text);
      const nonSymbol = words.filter(isNonSymbolWord);
      const n = nonSymbol.length;
      if (n < o.min_doc_words) return drop('gopher_short_doc', n, o.min_doc_words);
      if (n > o.max_doc_words) return drop('gopher_long_doc', n, o.max_doc_words);
      const avg = nonSymbol.reduce((s, w) => s + w.length, 0) / n;
      if (avg < o.min_avg_word_length) return drop('gopher_below_avg_threshold', avg, o.min_avg_word_length);
      if (avg > o.max_avg_word_length) return drop('gopher_above_avg_threshold', avg, o.max_avg_word_length);
      const hashes = count(text, '#') / words.length;
      if (hashes > o.max_symbol_word_ratio) return drop('gopher_too_many_hashes', hashes, o.max_symbol_word_ratio);
      const ellipses = (count(text, '...') + count(text, '…')) / words.length;
      if (ellipses > o.max_symbol_word_ratio) return drop('gopher_too_many_ellipsis', ellipses, o.max_symbol_word_ratio);
      const lines = text.split(/\r?\n/u);
      const bullets = lines.filter((l) => /^\s*[•-]/u.test(l)).length / lines.length;
      if (bullets > o.max_bullet_lines_ratio) return drop('gopher_too_many_bullets', bullets, o.max_bullet_lines_ratio);
      const endEllipsis = lines.filter((l) => /(\.\.\.|…)\s*$/u.test(l)).length / lines.length;
      if (endEllipsis > o.max_ellipsis_lines_ratio) return drop('gopher_too_many_end_ellipsis', endEllipsis, o.max_ellipsis_lines_ratio);
      const alpha = words.filter(hasAlpha).length / words.length;
      if (alpha < o.max_non_alpha_words_ratio) return drop('gopher_below_alpha_threshold', alpha, o.max_non_alpha_words_ratio);
      let stops = 0;
      for (const w of words) if (stop.has(w.toLowerCase()) && ++stops >= o.min_stop_words) break;
      if (stops < o.min_stop_words) return drop('gopher_enough_stop_words', stops, o.min_stop_words);
      return true;
    };
  },
};

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
