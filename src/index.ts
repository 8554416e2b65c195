/**
 * @fileoverview Trainyard's public API: the define* helpers and the types plugins need.
 */
export { defineStage, type StageDefinition, type StageContext, type InputSpec, type OutputSpec, type Progress } from './stages/define.js';
export {
  definePlugin, defineFilter, defineMetric, defineReward, defineBackend,
  type PluginDefinition, type FilterDefinition, type FilterFn, type FilterResult,
  type MetricDefinition, type MetricInput, type BackendDefinition, type BackendCapabilities, type MatmulPrecision,
} from './plugins/define.js';
export { type Document, DocumentsWriter, readDocuments, listSplits } from './artifacts/documents.js';
export { type ArtifactKind, type ArtifactRef } from './artifacts/kinds.js';
export { TrainyardError } from './errors/index.js';
