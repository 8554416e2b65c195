/**
 * @fileoverview Evaluation results: the metrics of each stage with a `metrics` output (eval's
 * `metrics.json`, each `<name>_stderr` paired with its metric) and the prompts and completions
 * of its `samples.jsonl`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest, Store } from '../../cache/store.js';
import type { EvalMetric, EvalSample } from './model.js';

/** Samples shown per eval stage at most. */
const MAX_SAMPLES = 50;

/** `{metric, metric_stderr}` pairs → one row each; the stderr entries are folded in. */
export function pairStderr(stage: string, metrics: Record<string, number>): EvalMetric[] {
  const out: EvalMetric[] = [];
  for (const name of Object.keys(metrics).sort()) {
    if (name.endsWith('_stderr') && name.slice(0, -'_stderr'.length) in metrics) continue;
    const value = metrics[name];
    if (typeof value !== 'number') continue;
    const se = metrics[`${name}_stderr`];
    out.push({ stage, name, value, ...(typeof se === 'number' ? { stderr: se } : {}) });
  }
  return out;
}

async function readJson(file: string): Promise<unknown> {
  try { return JSON.parse(await readFile(file, 'utf8')); } catch { return undefined; }
}

/** Metrics and samples of the stages whose manifest has a `metrics` output. */
export async function gatherEvals(order: readonly string[], manifests: ReadonlyMap<string, Manifest>, store: Store): Promise<{ metrics: EvalMetric[]; samples: EvalSample[] }> {
  const metrics: EvalMetric[] = [];
  const samples: EvalSample[] = [];
  for (const stage of order) {
    const m = manifests.get(stage);
    const port = m && Object.entries(m.outputs).find(([, o]) => o.kind === 'metrics')?.[0];
    if (!m || !port) continue;
    const dir = store.outputDir(m.key, port);
    const file = (await readJson(join(dir, 'metrics.json'))) as Record<string, number> | undefined;
    metrics.push(...pairStderr(stage, file && typeof file === 'object' ? file : m.metrics));
    const samplesFile = join(dir, 'samples.jsonl');
    if (!existsSync(samplesFile)) continue;
    for (const line of (await readFile(samplesFile, 'utf8')).split('\n').slice(0, MAX_SAMPLES)) {
      try {
        const s = JSON.parse(line) as { prompt?: unknown; completion?: unknown };
        if (typeof s.completion === 'string') samples.push({ stage, prompt: String(s.prompt ?? ''), completion: s.completion });
      } catch { /* a blank last line */ }
    }
  }
  return { metrics, samples };
}
