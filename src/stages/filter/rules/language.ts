/**
 * @fileoverview Language identification with franc-min (trigram model, 82 languages,
 * ISO 639-3 codes, offline). Keeps documents whose detected language is listed and writes
 * `meta.language` (and `meta.language_score`, franc's normalised score of the runner-up
 * distance) on kept documents, like datatrove's LanguageFilter. franc-min is imported when the
 * rule is created, so listing the built-in rules stays cheap.
 */
import { defineFilter } from '../../../plugins/define.js';
import { booleanOption, drop, integerOption, optionsSchema, stringsOption } from './types.js';

/** ISO 639-1 → the ISO 639-3 codes franc reports, so `languages: [en]` means what users expect. */
const ISO1: Record<string, string> = {
  en: 'eng', fr: 'fra', de: 'deu', es: 'spa', it: 'ita', pt: 'por', nl: 'nld', ru: 'rus', uk: 'ukr', pl: 'pol',
  sv: 'swe', tr: 'tur', ar: 'arb', zh: 'cmn', ja: 'jpn', ko: 'kor', hi: 'hin', bn: 'ben', id: 'ind', vi: 'vie',
  fa: 'pes', ro: 'ron', hu: 'hun', cs: 'ces', el: 'ell', he: 'heb', th: 'tha', ms: 'zlm', sw: 'swh', ta: 'tam',
};

export interface LanguageOptions {
  languages: string[];
  sample_chars: number;
  min_length: number;
  keep_undetermined: boolean;
  label_only: boolean;
}

export const language = defineFilter<LanguageOptions>({
  name: 'language',
  description: 'Keep documents in the listed languages (ISO 639-3 codes as franc-min reports them; common ISO 639-1 codes like en are mapped)',
  schema: optionsSchema({
    languages: stringsOption('Languages to keep (ISO 639-3, or common ISO 639-1 codes).', ['eng']),
    sample_chars: integerOption(2000, 'Characters from the start of the document that are scored.', { minimum: 1 }),
    min_length: integerOption(10, 'Shortest sample franc scores; shorter ones are undetermined ("und").'),
    keep_undetermined: booleanOption(false, 'Keep documents whose language is undetermined.'),
    label_only: booleanOption(false, 'Keep every document; only write meta.language.'),
  }),
  async create(o) {
    const { francAll } = await import('franc-min');
    const allowed = new Set(o.languages.map((l) => ISO1[l.toLowerCase()] ?? l));
    return (doc) => {
      // franc is O(text): score a prefix; skip a leading partial line.
      const sample = doc.text.slice(0, o.sample_chars);
      const ranked = francAll(sample, { minLength: o.min_length });
      const [lang, score] = ranked[0] ?? ['und', 0];
      const second = ranked[1]?.[1] ?? 0;
      const margin = Math.round((score - second) * 1000) / 1000;
      const meta = { language: lang, language_score: margin };
      if (o.label_only || allowed.has(lang) || (lang === 'und' && o.keep_undetermined)) return { keep: true, meta };
      return drop('wrong_language', lang, [...allowed].join(','));
    };
  },
});
