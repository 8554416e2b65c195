/**
 * @fileoverview The `mix` stage: a weighted mixture of several document sets, measured in
 * documents or bytes, with up-sampling (repeats) of small sources when asked; deterministic
 * under the run seed.
 *
 *   mix: { type: mix, inputs: { sources: [web, books] }, with: { weights: { web: 3, books: 1 }, unit: bytes } }
 */
import { defineStage } from '../define.js';
import type { MixOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<MixOptions>({
  type: 'mix',
  version: 1,
  description: 'Weighted mixture of several document sets (by documents or bytes, with up-sampling)',
  schema: stageSchema('mix'),
  inputs: { sources: { kind: 'documents', multiple: true, description: 'Document sets to mix' } },
  outputs: { docs: { kind: 'documents', description: 'The mixture, interleaved in proportion; meta.mix_source names the source' } },
  async run(ctx, options) {
    const { runMix } = await import('./run.js');
    await runMix(ctx, options);
  },
});
