/**
 * @fileoverview `dpo`: direct preference optimisation of a GPT-2 model (an sft or pretrain
 * output) on preference pairs, against a frozen reference — the input model — whose
 * log-probs are computed once and cached. Sigmoid (DPO) or IPO loss, optional label
 * smoothing and LoRA; outputs a model folder like sft's. Resumable like sft.
 *
 *   dpo: { type: dpo, inputs: { model: sft, data: prefs }, with: { beta: 0.1, steps: 200 } }
 */
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { DpoOptions } from '../options.gen.js';

export default defineStage<DpoOptions>({
  type: 'dpo',
  version: 1,
  description: 'Direct preference optimisation (sigmoid or IPO loss, cached reference log-probs) of a GPT-2 model on preference pairs; outputs the model folder',
  schema: stageSchema('dpo'),
  inputs: {
    model: { kind: 'model', description: 'The policy\'s starting point and frozen reference (sft or pretrain output, or `type: model`)' },
    data: { kind: 'preferences', optional: true, description: 'Preference pairs: train.jsonl (+ validation.jsonl / test.jsonl); or set with.data' },
  },
  outputs: {
    model: { kind: 'model', description: 'GPT-2 folder (merged with LoRA) + tokenizer + tokenizer_config.json (chat_template)' },
    report: { kind: 'metrics', description: 'metrics.json (eval_rewards/chosen, rejected, accuracies, margins), samples.jsonl (before/after)' },
  },
  checkpoints: true,
  checkpointKeyIgnores: ['steps', 'epochs', 'eval_interval', 'checkpoint_interval', 'checkpoint_minutes', 'keep_last', 'early_stopping_patience', 'prompts', 'sample_tokens', 'tensorboard'],
  optInOptions: ['tensorboard'],
  matmulPrecision: true,
  async externalDeps(options, { cwd }) {
    const { optionFiles } = await import('../reward/data.js');
    const f = optionFiles(options, cwd);
    return [...f.train, ...f.validation];
  },
  async run(ctx, options) {
    const { runDpo } = await import('./run.js');
    await runDpo(ctx, options);
  },
});
