/**
 * @fileoverview C4 quality rules (Raffel et al. 2020; datatrove `C4QualityFilter`). Lines that
 * C4 would strip (no terminal punctuation, < 3 words, "javascript", cookie/policy text, a word
 * over 1000 chars) are left out of the sentence count; the document is dropped on "lorem ipsum",
 * a curly bracket in a kept line, or fewer than 5 sentences left. Decision only: kept documents
 * are not rewritten.
 */
import { defineFilter } from '../../../plugins/define.js';
import { booleanOption, drop, integerOption, optionsSchema } from './types.js';
import { countSentences } from './words.js';

const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
const CITATION_RE = /\[\d*\]|\[edit\]|\[citation needed\]/giu;
const END_PUNCT = ['.', '?', '!', '"', "'"];

export interface C4Options {
  min_num_sentences: number;
  min_words_per_line: number;
  max_word_length: number;
  filter_no_terminal_punct: boolean;
  filter_lorem_ipsum: boolean;
  filter_javascript: boolean;
  filter_curly_bracket: boolean;
  filter_policy: boolean;
}

export const c4 = defineFilter<C4Options>({
  name: 'c4',
  description: 'C4 quality heuristics: terminal punctuation, min words per line, lorem ipsum, javascript, curly brackets, policy lines, min sentences',
  schema: optionsSchema({
    min_num_sentences: integerOption(5, 'Fewest sentences left after line stripping.'),
    min_words_per_line: integerOption(3, 'Lines with fewer words are not counted.'),
    max_word_length: integerOption(1000, 'Lines with a longer word are not counted (negative: no limit).', { minimum: -1 }),
    filter_no_terminal_punct: booleanOption(true, 'Do not count lines without terminal punctuation (or ending in "...").'),
    filter_lorem_ipsum: booleanOption(true, 'Drop documents containing "lorem ipsum".'),
    filter_javascript: booleanOption(true, 'Do not count lines mentioning javascript.'),
    filter_curly_bracket: booleanOption(true, 'Drop documents with a curly bracket in a counted line.'),
    filter_policy: booleanOption(true, 'Do not count cookie/terms/privacy policy lines.'),
  }),
  create(o) {
    return (doc) => {
      let sentences = 0;
      for (const raw of doc.text.split('\n')) {
        const words = raw.trim().split(/\s+/u).filter(Boolean);
        if (o.max_word_length >= 0 && words.some((w) => w.length > o.max_word_length)) continue;
        const line = raw.trim().replace(CITATION_RE, '');
        if (o.filter_no_terminal_punct && (!END_PUNCT.some((p) => line.endsWith(p)) || line.endsWith('...'))) continue;
        if (words.length < o.min_words_per_line) continue;
        const lower = line.toLowerCase();
        if (o.filter_lorem_ipsum && lower.includes('lorem ipsum')) return drop('lorem_ipsum', 'lorem ipsum', 'absent');
        if (o.filter_javascript && lower.includes('javascript')) continue;
        if (o.filter_curly_bracket && line.includes('{')) return drop('curly_bracket', '{', 'absent');
        if (o.filter_policy && POLICY.some((p) => lower.includes(p))) continue;
        sentences += countSentences(line);
      }
      if (sentences < o.min_num_sentences) return drop('too_few_sentences', sentences, o.min_num_sentences);
      return true;
    };
  },
});
