/**
 * @fileoverview `reward`: a reward model — a scalar head on a GPT-2 backbone (a pretrain or
 * sft model folder) trained on preference pairs (TRL's prompt/chosen/rejected JSONL, or the
 * chat form) with the Bradley–Terry loss. Outputs a Hugging Face
 * GPT2ForSequenceClassification folder with reward_stats.json, which ppo reads through
 * RewardModel (src/preferences/reward-model.ts). Resumable like sft.
 *
 *   rm: { type: reward, inputs: { model: sft, data: prefs }, with: { steps: 300 } }
 */
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { RewardOptions } from '../options.gen.js';

export default defineStage<RewardOptions>({
  type: 'reward',
  version: 2, // 2: tokenizer_config.json (the chat template of its pairs) in the folder
  description: 'Train a reward model (scalar head on a GPT-2 backbone, Bradley–Terry loss) on preference pairs; outputs a GPT2ForSequenceClassification folder',
  schema: stageSchema('reward'),
  inputs: {
    model: { kind: 'model', description: 'The backbone model folder (pretrain or sft output, or `type: model`)' },
    data: { kind: 'preferences', optional: true, description: 'Preference pairs: train.jsonl (+ validation.jsonl / test.jsonl); or set with.data' },
  },
  outputs: {
    model: { kind: 'reward', description: 'GPT2ForSequenceClassification folder (score.weight [1, C]) + tokenizer.json + reward_stats.json' },
    report: { kind: 'metrics', description: 'metrics.json: held-out accuracy, mean margin, length correlation, reward mean/std' },
  },
  checkpoints: true,
  checkpointKeyIgnores: ['steps', 'epochs', 'eval_interval', 'checkpoint_interval', 'checkpoint_minutes', 'keep_last', 'early_stopping_patience', 'length_correlation_warn', 'tensorboard'],
  optInOptions: ['tensorboard'],
  matmulPrecision: true,
  async externalDeps(options, { cwd }) {
    const { optionFiles } = await import('./data.js');
    const f = optionFiles(options, cwd);
    return [...f.train, ...f.validation];
  },
  async run(ctx, options) {
    const { runReward } = await import('./run.js');
    await runReward(ctx, options);
  },
});
