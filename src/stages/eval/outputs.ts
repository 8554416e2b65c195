/**
 * @fileoverview The eval stage's `metrics` artifact:
 *
 *   metrics.json   flat name → number (DESIGN.md; `dvc metrics show` reads it)
 *   samples.jsonl  {"prompt","completion"} per prompt (and any per-sample metric input)
 *   details.jsonl  one line per scored task document / last-word item: rendered prompt,
 *                  choices, log-likelihoods, prediction (lm-eval's --log_samples)
 *   eval.json      what was evaluated: split, token/byte counts, n-gram size, task files
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';

export interface EvalOutputs {
  metrics: Record<string, number>;
  samples: Array<{ prompt: string; completion: string }>;
  details: object[];
  info: Record<string, unknown>;
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

/** Sorted keys, non-finite values dropped (JSON has no NaN). */
export function cleanMetrics(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(m).sort().filter((k) => Number.isFinite(m[k])).map((k) => [k, m[k]!]));
}

export async function writeEvalOutputs(dir: string, o: EvalOutputs): Promise<void> {
  await writeFileAtomic(join(dir, 'metrics.json'), JSON.stringify(cleanMetrics(o.metrics), null, 2) + '\n');
  await writeFileAtomic(join(dir, 'samples.jsonl'), jsonl(o.samples));
  await writeFileAtomic(join(dir, 'details.jsonl'), jsonl(o.details));
  await writeFileAtomic(join(dir, 'eval.json'), JSON.stringify(o.info, null, 2) + '\n');
}
