/**
 * @fileoverview `sft`: supervised fine-tuning (instruction and chat tuning) of a GPT-2 model —
 * a pretrain stage's output or an imported Hugging Face folder (`type: model`) — on chat or
 * instruction JSONL rendered through a chat template, with the loss on assistant tokens only
 * by default, packing without attention across samples, and optional LoRA. Resumable like
 * pretrain: raising `steps` continues from the final checkpoint.
 *
 *   sft: { type: sft, inputs: { model: pretrain, data: qa }, with: { steps: 300, lora: { r: 8 } } }
 */
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { SftOptions } from '../options.gen.js';

export default defineStage<SftOptions>({
  type: 'sft',
  version: 1,
  description: 'Fine-tune a GPT-2 model on conversations (chat templates, assistant-only loss, packing, LoRA); outputs the merged model folder',
  schema: stageSchema('sft'),
  inputs: {
    model: { kind: 'model', description: 'The base model folder (pretrain output or `type: model`)' },
    data: { kind: 'sft', optional: true, description: 'Conversations: train.jsonl (+ validation.jsonl); or set with.data' },
    tokenizer: { kind: 'tokenizer', optional: true, description: 'Checked to be the model\'s tokenizer (refused when it differs)' },
  },
  outputs: {
    model: { kind: 'model', description: 'Merged GPT-2 folder + tokenizer with the template\'s tokens + tokenizer_config.json (chat_template); adapter/ with LoRA' },
    report: { kind: 'metrics', description: 'metrics.json, label-mask.json/.md (supervised share per role, marked samples), samples.jsonl (before/after)' },
  },
  checkpoints: true,
  checkpointKeyIgnores: ['steps', 'epochs', 'eval_interval', 'checkpoint_interval', 'checkpoint_minutes', 'keep_last', 'early_stopping_patience', 'prompts', 'sample_tokens', 'report_examples', 'tensorboard'],
  optInOptions: ['tensorboard'],
  matmulPrecision: true,
  async externalDeps(options, { cwd }) {
    const { optionFiles } = await import('./data.js');
    const f = optionFiles(options, cwd);
    return [...f.train, ...f.validation];
  },
  async run(ctx, options) {
    const { runSft } = await import('./run.js');
    await runSft(ctx, options);
  },
});
