/**
 * @fileoverview The contracts of registered components — filters, metrics, backends — and the
 * read-only RegistryView that stages see through ctx.registry. This module is the bottom of
 * the registry layering and imports none of the others:
 *
 *   plugins/contracts.ts   component contracts, PluginMeta, RegistryView   (imports only types of artifacts/ and model/capabilities)
 *     ↑ stages/define.ts   the stage contract; ctx.registry is a RegistryView
 *     ↑ plugins/define.ts  define* helpers and PluginDefinition (re-exports the contract types)
 *     ↑ plugins/registry.ts  the Registry class: built-ins and plugins, looked up by kind and name
 *
 * Stage definitions are not a component kind of the view: the view is what a running stage
 * needs, and naming StageDefinition here would make the layering circular.
 */
import type { BackendCapabilities } from '../model/capabilities.js';
import type { Document } from '../artifacts/documents.js';

export type JsonSchema = Record<string, unknown>;

/** A filter's drop verdict, with the measurement that decided it (datatrove's filter stats). */
export interface FilterDrop {
  keep: false;
  /** Machine-readable reason (`gopher_short_doc`, `too_few_sentences`, …). */
  reason: string;
  value?: number | string;
  threshold?: number | string;
  /** What matched, when that helps (`bad_words`: the first word; `url`: the domain). */
  detail?: string;
}

/** Keep (true), drop (false), drop with the rule's measurement, or keep and annotate `meta`. */
export type FilterResult = boolean | FilterDrop | { keep: true; meta: Record<string, unknown> };

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

/** What a reward function scores: one completion of one prompt. */
export interface RewardInput {
  prompt: string;
  completion: string;
}

/**
 * A reward function (`defineReward`): a scalar score for a completion, higher is better. PPO
 * can optimise against it and an AI-feedback stage can rank samples with it; its plugin's
 * `name@version` and code hash enter the cache key of every stage that names it.
 */
export interface RewardDefinition<Options = Record<string, unknown>> {
  name: string;
  description?: string;
  /** JSON Schema of the options (defaults applied), like filters. */
  schema?: JsonSchema;
  score(input: RewardInput, options: Options): number | Promise<number>;
}

/**
 * Matmul input precision (the pipeline's `precision:`): fp32 exact; tf32 (10 mantissa bits) and
 * bf16 (7) round the matmul inputs and accumulate in fp32, as tensor cores do.
 */
export type MatmulPrecision = 'fp32' | 'tf32' | 'bf16';

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
  /**
   * Sets the precision of the matmuls that follow (called after `load()`, with `fp32` too, for
   * every stage that sets the backend up: the setting is process-wide and workers are reused).
   * A backend without it runs fp32 only; asking it for tf32 or bf16 is an E_BACKEND error.
   */
  setPrecision?(precision: MatmulPrecision): void;
}

/** Identity of a loaded plugin; enters the cache keys of stages that use it. */
export interface PluginMeta {
  name: string;
  version: string;
  /** sha256 of the plugin module's source. */
  codeHash: string;
  /** Absolute path or package name it was loaded from. */
  specifier: string;
}

/** What each component kind registers. */
export interface ComponentValues {
  filter: FilterFn | FilterDefinition<any>;
  metric: MetricDefinition<any>;
  reward: RewardDefinition<any>;
  backend: BackendDefinition;
}

export type ComponentKind = keyof ComponentValues;

/** A registered value and the plugin that provided it (none for built-ins). */
export interface Entry<V> {
  readonly name: string;
  readonly value: V;
  readonly plugin?: PluginMeta;
}

/** Read-only view handed to stages through ctx.registry. */
export interface RegistryView {
  /** The entry registered under `name`, or undefined. */
  find<K extends ComponentKind>(kind: K, name: string): Entry<ComponentValues[K]> | undefined;
  /** The entry registered under `name`; throws the kind's TrainyardError with did-you-mean and the known names. */
  get<K extends ComponentKind>(kind: K, name: string): Entry<ComponentValues[K]>;
  /** Registered names of a kind: built-ins first, in their order, then plugins' in load order. */
  names(kind: ComponentKind): string[];
}
