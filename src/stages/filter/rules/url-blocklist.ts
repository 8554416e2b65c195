/**
 * @fileoverview URL blocklist (datatrove `URLFilter` order): registered domain or any parent
 * domain listed, full URL listed, a hard banned word, at least `soft_word_threshold` soft
 * banned words, or a banned substring in the normalised URL. The URL is read from `meta.url`
 * (or `meta[url_field]`); documents without one are kept.
 */
import { drop, type BuiltinRule } from './types.js';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./u, '');
  } catch {
    return undefined;
  }
}

export const urlBlocklist: BuiltinRule = {
  name: 'url-blocklist',
  description: 'Drop documents whose meta.url is on a domain/URL blocklist or contains banned words',
  defaults: { url_field: 'url', domains: [], urls: [], banned_words: [], soft_banned_words: [], soft_word_threshold: 2, banned_subwords: [] },
  create(o) {
    const domains = new Set((o.domains as string[]).map((d) => d.toLowerCase().replace(/^www\./u, '')));
    const urls = new Set((o.urls as string[]).map((u) => u.toLowerCase()));
    const hard = new Set((o.banned_words as string[]).map((w) => w.toLowerCase()));
    const soft = new Set((o.soft_banned_words as string[]).map((w) => w.toLowerCase()));
    const subwords = (o.banned_subwords as string[]).map((w) => w.toLowerCase());
    return (doc) => {
      const url = doc.meta?.[o.url_field as string];
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
};
