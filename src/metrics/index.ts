/**
 * @fileoverview The metric contract as the eval stage uses it: find a metric by name in the
 * registry (built-ins and plugin metrics, which may replace them), validate its options against its
 * schema, compute it, flatten the result to `name` / `name.sub` numbers, and attach a
 * bootstrap `<name>_stderr` (per-item scores for built-ins, resampled inputs for plugins).
 *
 *   const def = resolveMetric('distinct_n', ctx.registry);
 *   const values = await computeMetric('distinct_n', def, { samples }, { n: 2 });
 */
import { applyDefaults } from '../config/ajv.js';
import { errors } from '../errors/index.js';
import type { MetricDefinition, MetricInput, RegistryView } from '../plugins/contracts.js';
import { builtinRegistry } from '../plugins/registry.js';
import { meanStderr, resamples, stddev, type BootstrapOptions } from '../eval/bootstrap.js';
import type { ItemMetric } from './builtin.js';

/** A metric definition by name (E_UNKNOWN_METRIC with did-you-mean); the built-ins when no registry is given. */
export function resolveMetric(name: string, registry: RegistryView = builtinRegistry()): MetricDefinition<any> {
  return registry.get('metric', name).value;
}

function flatten(name: string, v: number | Record<string, number>): Record<string, number> {
  if (typeof v === 'number') return { [name]: v };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [`${name}.${k}`, x]));
}

/** Resampled copy of a metric input (the same draw for every per-item field). */
function resample(input: MetricInput, w: Uint32Array): MetricInput {
  const pick = <T>(xs: T[] | undefined): T[] | undefined => {
    if (!xs) return undefined;
    const out: T[] = [];
    w.forEach((k, i) => { for (let j = 0; j < k; j++) out.push(xs[i]!); });
    return out;
  };
  return { samples: pick(input.samples), prompts: pick(input.prompts), references: pick(input.references), logprobs: pick(input.logprobs) };
}

export interface ComputeMetricOptions {
  /** Bootstrap settings for `_stderr`; plugin metrics use at most 100 resamples (each one re-runs compute). */
  bootstrap?: BootstrapOptions;
}

/** Computes one metric: `{ name: v, name_stderr: se }` (or `name.sub` keys for multi-valued results). */
export async function computeMetric(name: string, def: MetricDefinition<any>, input: MetricInput, options: Record<string, unknown> = {}, o: ComputeMetricOptions = {}): Promise<Record<string, number>> {
  let opts = options;
  if (def.schema) {
    const { value, errors: problems } = applyDefaults(def.schema, options);
    if (problems) throw errors.metricOptions({ metric: name, problems: problems.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ') });
    opts = value;
  }
  const out = flatten(name, await def.compute(input, opts));
  const n = Math.max(input.samples?.length ?? 0, input.logprobs?.length ?? 0);
  if ('items' in def && typeof (def as ItemMetric).items === 'function') {
    out[`${name}_stderr`] = meanStderr((def as ItemMetric).items(input), o.bootstrap);
    return out;
  }
  if (n < 2) return out;
  // Plugin metric: re-run it on resampled inputs.
  const draws: Array<Record<string, number>> = [];
  for (const w of resamples(n, { ...o.bootstrap, iters: Math.min(o.bootstrap?.iters ?? 1000, 100) })) {
    draws.push(flatten(name, await def.compute(resample(input, w), opts)));
  }
  for (const key of Object.keys(out)) out[`${key}_stderr`] = stddev(draws.map((d) => d[key] ?? NaN));
  return out;
}
