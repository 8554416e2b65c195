/**
 * @fileoverview Example metric plugin: distinct-n (Li et al., 2016), the share of word n-grams
 * across all samples that are distinct: 1.0 means no n-gram repeats, values near 0 mean the
 * model loops. Computed over samples, so it works for the eval stage's prompt samples and for
 * generation tasks.
 *
 *   plugins: [./plugins/distinct-n-metric.ts]
 *   stages:
 *     eval: { type: eval, inputs: { model: pretrain }, with: { prompts: ["Call me"], metrics: [distinct_n], metric_options: { distinct_n: { n: 2 } } } }
 */
import { defineMetric, definePlugin, type MetricInput } from '../src/index.js';

/** Distinct word n-grams / all word n-grams over `texts` (0 when there are none). */
export function distinctN(texts: string[], n: number): number {
  const seen = new Set<string>();
  let total = 0;
  for (const t of texts) {
    const words = t.toLowerCase().split(/\s+/).filter(Boolean);
    for (let i = 0; i + n <= words.length; i++) {
      seen.add(words.slice(i, i + n).join(' '));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}

export const distinctNMetric = defineMetric<{ n: number }>({
  name: 'distinct_n',
  description: 'Share of distinct word n-grams over all samples.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { n: { type: 'integer', minimum: 1, default: 2, description: 'n-gram size.' } },
  },
  compute(input: MetricInput, o) {
    return distinctN(input.samples ?? [], o.n);
  },
});

export default definePlugin({
  name: 'distinct-n-metric',
  version: '1.0.0',
  metrics: { distinct_n: distinctNMetric },
});
