/**
 * @fileoverview `ppo`: RLHF with proximal policy optimisation (TRL's PPO trainer, classic
 * defaults scaled for tiny models). The policy starts from an sft or pretrain model and gets a
 * zero-initialised value head; a frozen copy is the KL reference. Each iteration samples
 * completions of a batch of prompts with the KV cache, scores them (a plugin reward function
 * or a reward-stage model), shapes per-token rewards with the KL penalty (adaptive or fixed
 * β), estimates advantages with GAE and takes several epochs of clipped policy + value
 * updates over minibatches. Resumable exactly, like pretrain.
 *
 *   ppo: { type: ppo, inputs: { model: sft }, with: { reward: sentiment, prompts_file: prompts.jsonl, iterations: 30 } }
 */
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { PpoOptions } from '../options.gen.js';

export default defineStage<PpoOptions>({
  type: 'ppo',
  version: 2, // 2: reward-model rows encoded as chat turns (as the reward stage encodes its pairs)
  description: 'Optimise a GPT-2 policy against a reward (plugin function or reward model) with PPO: KL penalty to the reference, GAE, clipped losses',
  schema: stageSchema('ppo'),
  inputs: {
    model: { kind: 'model', description: 'The policy to start from (sft or pretrain output, or `type: model`)' },
    reward: { kind: 'reward', optional: true, description: 'A reward stage\'s model (or set with.reward to a plugin reward function)' },
  },
  outputs: {
    model: { kind: 'model', description: 'The optimised policy: GPT-2 folder with the input\'s tokenizer files and chat template' },
    report: { kind: 'metrics', description: 'metrics.json (reward and KL before/after), samples.jsonl and report.md (eval prompts before/after)' },
  },
  checkpoints: true,
  checkpointKeyIgnores: ['iterations', 'checkpoint_interval', 'checkpoint_minutes', 'keep_last', 'eval_prompts', 'eval_prompts_file', 'eval_samples', 'eval_reward', 'eval_reward_options', 'tensorboard'],
  optInOptions: ['tensorboard'],
  matmulPrecision: true,
  async externalDeps(options, { cwd }) {
    const { promptFiles } = await import('./prompts.js');
    return promptFiles(options, cwd);
  },
  async run(ctx, options) {
    const { runPpo } = await import('./run.js');
    await runPpo(ctx, options);
  },
});
