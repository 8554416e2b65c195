/**
 * @fileoverview URL blocklist (datatrove `URLFilter` order): registered domain or any parent
 * domain listed, full URL listed, a hard banned word, at least `soft_word_threshold` soft
 * banned words, or a banned substring in the normalised URL. The URL is read from `meta.url`
 * (or `meta[url_field]`); documents without one are kept.
 */
import { defineFilter } from '../../../plugins/define.js';
import { drop, integerOption, optionsSchema, stringsOption } from './types.js';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./u, '');
  } catch {
    return undefined;
  }
}

export interface UrlBlocklistOptions {
  url_field: string;
  domains: string[];
  urls: string[];
  banned_words: string[];
  soft_banned_words: string[];
  soft_word_threshold: number;
  banned_subwords: string[];
}

export const urlBlocklist = defineFilter<UrlBlocklistOptions>({
  name: 'url-blocklist',
  description: 'Drop documents whose meta.url is on a domain/URL blocklist or contains banned words',
  schema: optionsSchema({
    url_field: { type: 'string', minLength: 1, default: 'url', description: 'The meta field holding the URL.' },
    domains: stringsOption('Blocked domains; their subdomains are blocked too.'),
    urls: stringsOption('Blocked full URLs.'),
    banned_words: stringsOption('A URL with one of these words is dropped.'),
    soft_banned_words: stringsOption('A URL with soft_word_threshold of these words is dropped.'),
    soft_word_threshold: integerOption(2, 'Soft banned words that make a URL dropped.', { minimum: 1 }),
    banned_subwords: stringsOption('A URL whose letters and digits contain one of these is dropped.'),
  }),
  create(o) {
    const domains = new Set(o.domains.map((d) => d.toLowerCase().replace(/^www\./u, '')));
    const urls = new Set(o.urls.map((u) => u.toLowerCase()));
    const hard = new Set(o.banned_words.map((w) => w.toLowerCase()));
    const soft = new Set(o.soft_banned_words.map((w) => w.toLowerCase()));
    const subwords = o.banned_subwords.map((w) => w.toLowerCase());
    return (doc) => {
      const url = doc.meta?.[o.url_field];
      if (typeof url !== 'string' || url.length === 0) return true;
      const lower = url.toLowerCase();
      const host = hostOf(url);
      if (host) {
        const parts = host.split('.');
        for (let i = 0; i < parts.length - 1; i++) {
          const d = parts.slice(i).join('.');
          if (domains.has(d)) return { ...drop('domain', host, 'blocklist'), detail: d };
        }
      }
      if (urls.has(lower)) return drop('url', lower, 'blocklist');
      const tokens = lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      const hardHit = tokens.find((t) => hard.has(t));
      if (hardHit) return { ...drop('hard_blacklisted', 1, 0), detail: hardHit };
      const softHits = tokens.filter((t) => soft.has(t)).length;
      if (softHits >= o.soft_word_threshold) return drop('soft_blacklisted', softHits, o.soft_word_threshold);
      const normalized = tokens.join('');
      const sub = subwords.find((w) => normalized.includes(w));
      if (sub) return { ...drop('blacklisted_subword', 1, 0), detail: sub };
      return true;
    };
  },
});
