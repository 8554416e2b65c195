/**
 * @fileoverview The `tokenize` stage: trains (or loads) a tokenizer and encodes every split of
 * a documents artifact to nanoGPT's format (see artifacts/tokens.ts):
 *
 *   docs (train, validation, …) ──train on `train_on`──▶ tokenizer.json
 *        └──encode each split, EOT after each document──▶ <split>.bin + meta.json
 *
 * Encoding spreads over `ctx.threads` workers; the ids do not depend on the thread count.
 */
import { isAbsolute, resolve } from 'node:path';
import { defineStage } from '../define.js';
import { PRETRAINED_NAMES } from '../../tokenizer/names.js';
import type { TokenizeOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<TokenizeOptions>({
  type: 'tokenize',
  version: 1,
  description: 'Train or load a tokenizer and encode documents to token files (nanoGPT format)',
  schema: stageSchema('tokenize'),
  inputs: { docs: 'documents' },
  outputs: { tokens: 'tokens' },
  // A tokenizer.json loaded from a path enters the cache key by content: editing it re-runs.
  externalDeps(options, { cwd }) {
    const name = options.mode === 'pretrained' ? options.pretrained : null;
    if (!name || (PRETRAINED_NAMES as readonly string[]).includes(name)) return [];
    return [isAbsolute(name) ? name : resolve(cwd, name)];
  },
  async run(ctx, options) {
    const { runTokenize } = await import('./run.js');
    await runTokenize(ctx, options);
  },
});
