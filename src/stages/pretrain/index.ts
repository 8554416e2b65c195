/**
 * @fileoverview `pretrain`: trains a GPT-2 style decoder on a tokens artifact with nanoGPT's
 * recipe (AdamW, warmup + cosine, clipping, accumulation) and writes a Hugging Face GPT-2
 * model folder. Resumable: checkpoints live in ctx.checkpointDir; a re-run continues from the
 * newest one, and raising `steps` continues a finished run (see checkpointKeyIgnores).
 *
 *   pretrain: { type: pretrain, inputs: { tokens: tokenize }, with: { n_layer: 4, steps: 2000 } }
 */
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { PretrainOptions } from '../options.gen.js';

export default defineStage<PretrainOptions>({
  type: 'pretrain',
  version: 1,
  description: 'Pretrain a GPT-2 decoder (TF.js) on token shards; outputs a Hugging Face GPT-2 model folder',
  schema: stageSchema('pretrain'),
  inputs: { tokens: { kind: 'tokens', description: 'Token ids; `validation` split or the last 10% of `train` is held out' } },
  outputs: { model: { kind: 'model', description: 'config.json + model.safetensors + tokenizer.json' } },
  checkpoints: true,
  // Options that do not change the trajectory up to the old budget: raising `steps` resumes.
  // (Keep lr_decay_steps fixed when you plan to extend a run; 0 ties the cosine to `steps`.)
  checkpointKeyIgnores: ['steps', 'tokens', 'eval_interval', 'eval_iters', 'sample_interval', 'sample_tokens', 'checkpoint_interval', 'checkpoint_minutes', 'keep_last', 'early_stopping_patience', 'tensorboard'],
  optInOptions: ['tensorboard'],
  matmulPrecision: true,
  async run(ctx, options) {
    const { runPretrain } = await import('./run.js');
    await runPretrain(ctx, options);
  },
});
