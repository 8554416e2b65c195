/**
 * @fileoverview The `filter` stage: drops documents that fail quality, repetition, language,
 * toxicity, URL or plugin rules (datatrove's filters), writes them with the measured value and
 * threshold to `rejected`, and prints a removal funnel.
 *
 *   filter: { type: filter, inputs: { docs: dedupe },
 *             with: { rules: [gopher-quality, { name: length, min_chars: 200 }, shouting] } }
 */
import { defineStage } from '../define.js';
import type { FilterOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<FilterOptions>({
  type: 'filter',
  version: 1,
  description: 'Drop documents that fail quality/repetition/language/toxicity/URL or plugin rules',
  schema: stageSchema('filter'),
  inputs: { docs: { kind: 'documents', description: 'Documents to filter' } },
  outputs: {
    kept: { kind: 'documents', description: 'Documents every rule kept' },
    rejected: { kind: 'documents', description: 'Dropped documents with meta.rejected = {rule, reason, value, threshold}' },
  },
  async validate(options, { registry }) {
    const { resolveRules } = await import('./resolve.js');
    await resolveRules(options.rules as Parameters<typeof resolveRules>[0], registry);
  },
  async run(ctx, options) {
    const { runFilter } = await import('./run.js');
    await runFilter(ctx, options);
  },
});
