/**
 * @fileoverview C4 quality rules (Raffel et al. 2020; datatrove `C4QualityFilter`). Lines that
 * C4 would strip (no terminal punctuation, < 3 words, "javascript", cookie/policy text, a word
 * over 1000 chars) are left out of the sentence count; the document is dropped on "lorem ipsum",
 * a curly bracket in a kept line, or fewer than 5 sentences left. Decision only: kept documents
 * are not rewritten.
 */
import { drop, type BuiltinRule } from './types.js';
import { countSentences } from './words.js';

const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
const CITATION_RE = /\[\d*\]|\[edit\]|\[citation needed\]/giu;
const END_PUNCT = ['.', '?', '!', '"', "'"];

export const c4: BuiltinRule = {
  name: 'c4',
  description: 'C4 quality heuristics: terminal punctuation, min words per line, lorem ipsum, javascript, curly brackets, policy lines, min sentences',
  defaults: {
    min_num_sentences: 5, min_words_per_line: 3, max_word_length: 1000, filter_no_terminal_punct: true,
    filter_lorem_ipsum: true, filter_javascript: true, filter_curly_bracket: true, filter_policy: true,
  },
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
};
