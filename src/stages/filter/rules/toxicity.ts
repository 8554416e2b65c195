/**
 * @fileoverview Profanity/toxicity word list (C4BadWordsFilter): the LDNOOBW lists from the
 * `naughty-words` package, matched on word boundaries, case-insensitive. Drops a document
 * with more than `max_matches` hits (C4: any hit).
 */
import { createRequire } from 'node:module';
import { defineFilter } from '../../../plugins/define.js';
import { drop, integerOption, optionsSchema, stringsOption } from './types.js';

const require = createRequire(import.meta.url);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** A single alternation regex over the list, longest phrases first, on word boundaries. */
function badWordsRegex(words: string[]): RegExp {
  const alts = [...new Set(words.map((w) => w.toLowerCase().trim()).filter(Boolean))].sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

export interface ToxicityOptions {
  language: string;
  max_matches: number;
  extra_words: string[];
  allow_words: string[];
}

export const toxicity = defineFilter<ToxicityOptions>({
  name: 'toxicity',
  description: 'Drop documents containing words from the LDNOOBW bad-words list (naughty-words), word-boundary matched',
  schema: optionsSchema({
    language: { type: 'string', pattern: '^[a-z-]+$', default: 'en', description: 'naughty-words list to use (ISO 639-1 code).' },
    max_matches: integerOption(0, 'Most matches a kept document may have.'),
    extra_words: stringsOption('Words or phrases added to the list.'),
    allow_words: stringsOption('Words or phrases removed from the list.'),
  }),
  create(o) {
    const list = require(`naughty-words/${o.language}.json`) as string[];
    const allow = new Set(o.allow_words.map((w) => w.toLowerCase()));
    const re = badWordsRegex([...list, ...o.extra_words].filter((w) => !allow.has(w.toLowerCase())));
    return (doc) => {
      let hits = 0;
      let first = '';
      re.lastIndex = 0;
      for (let m = re.exec(doc.text); m; m = re.exec(doc.text)) {
        if (hits === 0) first = m[0].toLowerCase();
        hits++;
      }
      return hits > o.max_matches ? { ...drop('bad_words', hits, o.max_matches), detail: first } : true;
    };
  },
});
