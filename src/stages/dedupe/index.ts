/**
 * @fileoverview The `dedupe` stage: exact (normalised-text hash) and near-duplicate
 * MinHash-LSH deduplication with a deterministic survivor (first seen) per cluster.
 *
 *   dedupe: { type: dedupe, inputs: { docs: clean }, with: { mode: both, bands: 14, rows: 8 } }
 */
import { defineStage } from '../define.js';
import type { DedupeOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<DedupeOptions>({
  type: 'dedupe',
  version: 2, // 2: LSH candidates verified by exact Jaccard by default
  description: 'Remove exact and near-duplicate documents (MinHash-LSH), keeping the first of each cluster',
  schema: stageSchema('dedupe'),
  inputs: { docs: { kind: 'documents', description: 'Documents to deduplicate' } },
  outputs: {
    docs: { kind: 'documents', description: 'One survivor per cluster; members carry meta.dedupe = {cluster, cluster_size}' },
    duplicates: { kind: 'documents', description: 'Removed documents with meta.dedupe.duplicate_of and match (exact|near)' },
  },
  async run(ctx, options) {
    const { runDedupe } = await import('./run.js');
    await runDedupe(ctx, options);
  },
});
