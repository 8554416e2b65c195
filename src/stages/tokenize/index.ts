/**
 * @fileoverview The `tokenize` stage: trains (or loads) a tokenizer and encodes every split of
 * a documents artifact to nanoGPT's format (see artifacts/tokens.ts):
 *
 *   docs (train, validation, …) ──train on `train_on`──▶ tokenizer.json
 *        └──encode each split, EOT after each document──▶ <split>.bin + meta.json
 *
 * Encoding spreads over `ctx.threads` workers; the ids do not depend on the thread count.
 */
import { defineStage } from '../define.js';
import type { TokenizeOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<TokenizeOptions>({
  type: 'tokenize',
  version: 1,
  description: 'Train or load a tokenizer and encode documents to token files (nanoGPT format)',
  schema: stageSchema('tokenize'),
  inputs: { docs: 'documents' },
  outputs: { tokens: 'tokens' },
  async run(ctx, options) {
    const { runTokenize } = await import('./run.js');
    await runTokenize(ctx, options);
  },
});
