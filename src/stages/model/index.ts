/**
 * @fileoverview `model`: brings an existing Hugging Face GPT-2 model folder into the pipeline
 * (a `source` for models). It reads what people have — bare or `transformer.` tensor names,
 * F32/F16/BF16, sharded `model.safetensors.index.json`, tokenizer.json or vocab.json +
 * merges.txt — and writes our model artifact layout, which every model consumer (eval,
 * `trainyard sample`, fine-tuning stages) reads. The files it reads are hashed into the cache
 * key, so editing one re-runs the stage.
 *
 *   base: { type: model, with: { path: ./models/gpt2 } }
 *   eval: { type: eval, inputs: { model: base } }
 */
import { resolve } from 'node:path';
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { ModelOptions } from '../options.gen.js';

export default defineStage<ModelOptions>({
  type: 'model',
  version: 1,
  description: 'Import a Hugging Face GPT-2 model folder (safetensors F32/F16/BF16, sharded or not) as a model artifact',
  schema: stageSchema('model'),
  inputs: {},
  outputs: { model: { kind: 'model', description: 'config.json + model.safetensors (F32) + tokenizer.json (+ tokenizer_config.json, generation_config.json)' } },
  async externalDeps(options, { cwd }) {
    const { modelFolderFiles } = await import('../../model/hf-import.js');
    return modelFolderFiles(resolve(cwd, options.path));
  },
  async run(ctx, options) {
    const { runModelImport } = await import('./run.js');
    await runModelImport(ctx, options);
  },
});
