/**
 * @fileoverview Example filter plugin: drops documents that SHOUT (too many upper-case letters).
 *
 *   plugins: [./plugins/shouting-filter.ts]
 *   stages:
 *     filter: { type: filter, inputs: { docs: clean }, with: { rules: [shouting, { name: shouting-strict, max_upper_ratio: 0.3 }] } }
 *
 * `shouting` is a tier-1 plain function; `shouting-strict` a tier-2 `defineFilter` with options.
 */
import { defineFilter, definePlugin, type Document, type FilterResult } from '../src/index.js';

/** Share of letters that are upper case (0 when there are no letters). */
export function upperRatio(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 0;
  return letters.filter((c) => c !== c.toLowerCase()).length / letters.length;
}

function shoutingFilter(maxRatio: number) {
  return (doc: Document): FilterResult => {
    const r = Math.round(upperRatio(doc.text) * 1000) / 1000;
    return r <= maxRatio || { keep: false, reason: 'shouting', value: r, threshold: maxRatio };
  };
}

export default definePlugin({
  name: 'shouting-filter',
  version: '1.0.0',
  filters: {
    shouting: shoutingFilter(0.5),
    'shouting-strict': defineFilter<{ max_upper_ratio: number }>({
      name: 'shouting-strict',
      description: 'Drop documents whose upper-case letter share exceeds max_upper_ratio',
      schema: {
        type: 'object', additionalProperties: false,
        properties: { max_upper_ratio: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Largest allowed share of upper-case letters.' } },
      },
      create: (o) => shoutingFilter(o.max_upper_ratio),
    }),
  },
});
