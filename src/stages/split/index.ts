/**
 * @fileoverview The `split` stage: deterministic train/validation/test splits by a seeded hash
 * of each document's near-duplicate cluster, so no exact or near duplicate crosses splits and
 * adding documents does not reshuffle the others.
 *
 *   split: { type: split, inputs: { docs: filter }, with: { validation: 0.05, test: 0.05 } }
 */
import { errors } from '../../errors/index.js';
import { defineStage } from '../define.js';
import type { SplitOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<SplitOptions>({
  type: 'split',
  version: 1,
  description: 'Split documents into train/validation/test, keeping near-duplicate clusters together',
  schema: stageSchema('split'),
  inputs: { docs: { kind: 'documents', description: 'Documents to split' } },
  outputs: { docs: { kind: 'documents', description: 'Shards named train-*, validation-*, test-*' } },
  async run(ctx, options) {
    const o = options;
    if (o.validation + o.test >= 1) {
      throw errors.splitFractions({ validation: o.validation, test: o.test });
    }
    const { runSplit } = await import('./run.js');
    await runSplit(ctx, o);
  },
});
