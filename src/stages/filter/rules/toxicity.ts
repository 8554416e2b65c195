/**
 * @fileoverview Profanity/toxicity word list (C4BadWordsFilter): the LDNOOBW lists from the
 * `naughty-words` package, matched on word boundaries, case-insensitive. Drops a document
 * with more than `max_matches` hits (C4: any hit).
 */
import { createRequire } from 'node:module';
import { drop, type BuiltinRule } from './types.js';

const require = createRequire(import.meta.url);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** A single alternation regex over the list, longest phrases first, on word boundaries. */
export function badWordsRegex(words: string[]): RegExp {
  const alts = [...new Set(words.map((w) => w.toLowerCase().trim()).filter(Boolean))].sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

export const toxicity: BuiltinRule = {
  name: 'toxicity',
  description: 'Drop documents containing words from the LDNOOBW bad-words list (naughty-words), word-boundary matched',
  defaults: { language: 'en', max_matches: 0, extra_words: [], allow_words: [] },
  create(o) {
    const list = require(`naughty-words/${o.language}.json`) as string[];
    const allow = new Set((o.allow_words as string[]).map((w) => w.toLowerCase()));
    const re = badWordsRegex([...list, ...(o.extra_words as string[])].filter((w) => !allow.has(w.toLowerCase())));
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
};
