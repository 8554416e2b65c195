/**
 * @fileoverview Gopher quality rules (Rae et al. 2021, arXiv 2112.11446; datatrove
 * `GopherQualityFilter`). Defaults are the published ones.
 */
import { defineFilter } from '../../../plugins/define.js';
import { drop, integerOption, numberOption, optionsSchema, stringsOption } from './types.js';
import { hasAlpha, isNonSymbolWord, tokenizeWords } from './words.js';

const STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];

export interface GopherQualityOptions {
  min_doc_words: number;
  max_doc_words: number;
  min_avg_word_length: number;
  max_avg_word_length: number;
  max_symbol_word_ratio: number;
  max_bullet_lines_ratio: number;
  max_ellipsis_lines_ratio: number;
  max_non_alpha_words_ratio: number;
  min_stop_words: number;
  stop_words: string[];
}

const ratio = { minimum: 0, maximum: 1 };

export const gopherQuality = defineFilter<GopherQualityOptions>({
  name: 'gopher-quality',
  description: 'Gopher quality heuristics: word count, mean word length, symbols, bullets, ellipses, alphabetic words, stop words',
  schema: optionsSchema({
    min_doc_words: integerOption(50, 'Fewest non-symbol words.'),
    max_doc_words: integerOption(100_000, 'Most non-symbol words.'),
    min_avg_word_length: numberOption(3, 'Smallest mean word length (characters).', { minimum: 0 }),
    max_avg_word_length: numberOption(10, 'Largest mean word length (characters).', { minimum: 0 }),
    max_symbol_word_ratio: numberOption(0.1, 'Largest ratio of "#" (and of ellipses) to words.', { minimum: 0 }),
    max_bullet_lines_ratio: numberOption(0.9, 'Largest share of lines starting with a bullet.', ratio),
    max_ellipsis_lines_ratio: numberOption(0.3, 'Largest share of lines ending in an ellipsis.', ratio),
    max_non_alpha_words_ratio: numberOption(0.8, 'Smallest share of words with a letter (the name follows datatrove).', ratio),
    min_stop_words: integerOption(2, 'Fewest stop words.'),
    stop_words: stringsOption('Stop words counted by min_stop_words.', STOP_WORDS),
  }),
  create(o) {
    const stop = new Set(o.stop_words);
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
});

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
