/**
 * @fileoverview `feedback`: AI feedback — preference pairs labelled by a plugin reward
 * function instead of a person. For every prompt (with.prompts, with.prompts_file, or the user
 * turns of an `sft` input) the model samples `n` seeded completions, the reward scores each,
 * and best vs worst becomes a TRL `{"prompt","chosen","rejected"}` line with `chosen_score`
 * and `rejected_score`; prompts whose completions all score the same are skipped (counted).
 * The same code runs behind `trainyard label --judge`.
 *
 *   prefs: { type: feedback, inputs: { model: sft }, with: { reward: positivity, prompts_file: prompts.jsonl, n: 4 } }
 */
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { FeedbackOptions } from '../options.gen.js';

export default defineStage<FeedbackOptions>({
  type: 'feedback',
  version: 2, // 2: completions drawn in batches with per-row seeds
  description: 'AI feedback: sample n completions per prompt, score them with a plugin reward function, keep best vs worst as preference pairs',
  schema: stageSchema('feedback'),
  inputs: {
    model: { kind: 'model', description: 'The policy to sample from (a model folder)' },
    prompts: { kind: 'sft', optional: true, description: 'Conversations whose first user turns are prompts (added to with.prompts / prompts_file)' },
  },
  outputs: {
    pairs: { kind: 'preferences', description: 'train.jsonl + validation.jsonl: {"prompt","chosen","rejected","chosen_score","rejected_score"}' },
  },
  async externalDeps(options, { cwd }) {
    const { resolve } = await import('node:path');
    return options.prompts_file ? [resolve(cwd, options.prompts_file)] : [];
  },
  validate(options, { registry }) {
    registry.get('reward', options.reward);
  },
  async run(ctx, options) {
    const { runFeedback } = await import('./run.js');
    await runFeedback(ctx, options);
  },
});
