/**
 * @fileoverview Built-in metrics (same contract as plugin metrics, src/plugins/contracts.ts),
 * registered in the Registry like plugin ones.
 * Each also exposes per-item scores so the eval stage can bootstrap its standard error
 * without re-running it.
 *
 *   exact_match  sample.trim() === reference.trim()              (lm-eval exact_match)
 *   contains     the sample contains the trimmed reference
 *   mean_length  mean sample length in characters
 *   perplexity   exp(−Σ logprobs / Σ tokens) over all sequences
 *   mean_logprob mean per-token log-probability
 */
import type { MetricDefinition, MetricInput } from '../plugins/contracts.js';
import { defineMetric } from '../plugins/define.js';
import { errors } from '../errors/index.js';

/** A metric whose value is the mean of per-item scores (bootstrappable cheaply). */
export interface ItemMetric extends MetricDefinition<Record<string, unknown>> {
  items(input: MetricInput): number[];
}

function pairs(input: MetricInput): Array<[string, string]> {
  const s = input.samples ?? [];
  const r = input.references ?? [];
  if (s.length !== r.length) throw errors.metricReferences({ samples: s.length, references: r.length });
  return s.map((x, i) => [x, r[i]!]);
}

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function itemMetric(name: string, description: string, items: (input: MetricInput) => number[]): ItemMetric {
  return { ...defineMetric({ name, description, compute: (input) => avg(items(input)) }), items };
}

const exactMatch = itemMetric('exact_match', 'Share of samples equal to the reference (both trimmed).',
  (input) => pairs(input).map(([s, r]) => (s.trim() === r.trim() ? 1 : 0)));

const contains = itemMetric('contains', 'Share of samples that contain the (trimmed) reference.',
  (input) => pairs(input).map(([s, r]) => (s.includes(r.trim()) ? 1 : 0)));

const meanLength = itemMetric('mean_length', 'Mean sample length in characters.',
  (input) => (input.samples ?? []).map((s) => [...s].length));

const meanLogprob = itemMetric('mean_logprob', 'Mean per-token log-probability of each sequence, averaged over sequences.',
  (input) => (input.logprobs ?? []).filter((l) => l.length > 0).map((l) => avg(l)));

const perplexity = defineMetric({
  name: 'perplexity',
  description: 'exp of the mean negative log-probability over all tokens of all sequences.',
  compute(input: MetricInput) {
    let nll = 0;
    let n = 0;
    for (const seq of input.logprobs ?? []) for (const v of seq) { nll -= v; n++; }
    return n ? Math.exp(nll / n) : NaN;
  },
});

/** Built-in metrics by name. */
export const BUILTIN_METRICS: Record<string, MetricDefinition<any>> = {
  exact_match: exactMatch, contains, mean_length: meanLength, mean_logprob: meanLogprob, perplexity,
};
