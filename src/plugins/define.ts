/**
 * @fileoverview Plugin contracts: a plugin is a named, versioned object (ESLint `meta`), whose
 * `name@version` and code hash enter the cache key of every stage that uses it. The component
 * contracts live in ./contracts.ts and the stage contract in ../stages/define.ts; this module
 * sits above both (see the layering in ./contracts.ts).
 *
 *   export default definePlugin({
 *     name: 'shouting', version: '1.0.0',
 *     filters: { shouting: (doc) => upperRatio(doc.text) < 0.5 || { keep: false, reason: 'shouting' } },
 *   });
 */
import type { StageDefinition } from '../stages/define.js';
import type { BackendDefinition, FilterDefinition, FilterFn, MetricDefinition, RewardDefinition } from './contracts.js';

export type {
  BackendDefinition, FilterDefinition, FilterDrop, FilterFn, FilterResult, JsonSchema, MatmulPrecision, MetricDefinition, MetricInput,
  RewardDefinition, RewardInput,
} from './contracts.js';

/** Identity helper for a filter with options; built-in rules are written with it too. */
export function defineFilter<Options = Record<string, unknown>>(def: FilterDefinition<Options>): FilterDefinition<Options> {
  return def;
}

/** Identity helper for a metric. */
export function defineMetric<Options = Record<string, unknown>>(def: MetricDefinition<Options>): MetricDefinition<Options> {
  return def;
}

/** Identity helper for a reward function (PPO's reward, AI feedback's judge). */
export function defineReward<Options = Record<string, unknown>>(def: RewardDefinition<Options>): RewardDefinition<Options> {
  return def;
}

/** Identity helper for a tensor backend. */
export function defineBackend(def: BackendDefinition): BackendDefinition {
  return def;
}

export type { BackendCapabilities } from '../model/capabilities.js';

export interface PluginDefinition {
  name: string;
  version: string;
  stages?: StageDefinition<any>[];
  filters?: Record<string, FilterFn | FilterDefinition<any>>;
  metrics?: Record<string, MetricDefinition<any>>;
  rewards?: Record<string, RewardDefinition<any>>;
  backends?: BackendDefinition[];
}

/** Identity helper for a plugin module's default export. */
export function definePlugin(def: PluginDefinition): PluginDefinition {
  return def;
}
