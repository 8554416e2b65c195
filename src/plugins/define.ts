/**
 * @fileoverview Plugin contracts: a plugin is a named, versioned object (ESLint `meta`), whose
 * `name@version` and code hash enter the cache key of every stage that uses it.
 *
 *   export default definePlugin({
 *     name: 'shouting', version: '1.0.0',
 *     filters: { shouting: (doc) => upperRatio(doc.text) < 0.5 || { keep: false, reason: 'shouting' } },
 *   });
 */
import type { Document } from '../artifacts/documents.js';
import type { BackendCapabilities } from '../model/capabilities.js';
import type { JsonSchema, StageDefinition } from '../stages/define.js';

/** A filter's verdict: keep (true), drop (false), or drop with the rule's measurement. */
export type FilterResult =
  | boolean
  | { keep: false; reason: string; value?: number | string; threshold?: number | string };

/** Tier 1: a plain function. */
export type FilterFn = (doc: Document) => FilterResult;

/** Tier 2: a filter that needs options or setup (datatrove's BaseFilter). */
export interface FilterDefinition<Options = Record<string, unknown>> {
  name: string;
  description?: string;
  /** JSON Schema of the filter's options (defaults applied by ajv). */
  schema?: JsonSchema;
  create(options: Options): FilterFn | Promise<FilterFn>;
}

export function defineFilter<Options = Record<string, unknown>>(def: FilterDefinition<Options>): FilterDefinition<Options> {
  return def;
}

/** What a metric sees: generated samples and/or per-token log-probabilities. */
export interface MetricInput {
  /** Generated texts (continuations), one per prompt. */
  samples?: string[];
  /** Prompts the samples continue. */
  prompts?: string[];
  /** Expected answers, one per sample (generation tasks). */
  references?: string[];
  /** Natural-log probabilities of each target token, per sequence. */
  logprobs?: number[][];
}

export interface MetricDefinition<Options = Record<string, unknown>> {
  name: string;
  description?: string;
  schema?: JsonSchema;
  /** Returns one number, or several named numbers (`name.sub`). */
  compute(input: MetricInput, options: Options): number | Record<string, number> | Promise<number | Record<string, number>>;
}

export function defineMetric<Options = Record<string, unknown>>(def: MetricDefinition<Options>): MetricDefinition<Options> {
  return def;
}

/** A tensor backend (TF.js registry shape): the highest-priority available one wins `auto`. */
export interface BackendDefinition {
  name: string;
  /** Higher wins under `backend: auto`. */
  priority: number;
  description?: string;
  /** Cheap probe: is the backend's package/binary present? */
  isAvailable(): boolean | Promise<boolean>;
  /** Registers the backend with TF.js (`tf.registerBackend`) and returns the TF.js backend name to `setBackend`. */
  load(): Promise<string>;
  /** Shown when the backend is requested but not available. */
  installHint?: string;
  /**
   * Fast paths the backend offers the model (fused Trainyard kernels, free BatchMatMul
   * transpose flags). The model reads these instead of comparing backend names.
   * @default {} (none)
   */
  capabilities?: BackendCapabilities;
}

export function defineBackend(def: BackendDefinition): BackendDefinition {
  return def;
}

export type { BackendCapabilities };

export interface PluginDefinition {
  name: string;
  version: string;
  stages?: StageDefinition<any>[];
  filters?: Record<string, FilterFn | FilterDefinition<any>>;
  metrics?: Record<string, MetricDefinition<any>>;
  backends?: BackendDefinition[];
}

export function definePlugin(def: PluginDefinition): PluginDefinition {
  return def;
}
