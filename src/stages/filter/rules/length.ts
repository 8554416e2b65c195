/**
 * @fileoverview Length bounds in characters and words (0 means no bound).
 */
import { defineFilter } from '../../../plugins/define.js';
import { drop, integerOption, optionsSchema } from './types.js';

export interface LengthOptions {
  min_chars: number;
  max_chars: number;
  min_words: number;
  max_words: number;
}

export const length = defineFilter<LengthOptions>({
  name: 'length',
  description: 'Drop documents shorter or longer than the given characters/words (0 = no bound)',
  schema: optionsSchema({
    min_chars: integerOption(1, 'Fewest characters.'),
    max_chars: integerOption(0, 'Most characters (0: no bound).'),
    min_words: integerOption(0, 'Fewest whitespace-separated words.'),
    max_words: integerOption(0, 'Most whitespace-separated words (0: no bound).'),
  }),
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
});
