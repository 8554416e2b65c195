/**
 * @fileoverview Length bounds in characters and words (0 means no bound).
 */
import { drop, type BuiltinRule } from './types.js';

export const length: BuiltinRule = {
  name: 'length',
  description: 'Drop documents shorter or longer than the given characters/words (0 = no bound)',
  defaults: { min_chars: 1, max_chars: 0, min_words: 0, max_words: 0 },
  create(o) {
    return (doc) => {
      const chars = doc.text.length;
      if (chars < o.min_chars) return drop('too_short_chars', chars, o.min_chars);
      if (o.max_chars > 0 && chars > o.max_chars) return drop('too_long_chars', chars, o.max_chars);
      if (o.min_words > 0 || o.max_words > 0) {
        const words = doc.text.split(/\s+/u).filter(Boolean).length;
        if (words < o.min_words) return drop('too_short_words', words, o.min_words);
        if (o.max_words > 0 && words > o.max_words) return drop('too_long_words', words, o.max_words);
      }
      return true;
    };
  },
};
