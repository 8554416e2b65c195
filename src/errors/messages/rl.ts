/**
 * @fileoverview Messages for the ppo stage (src/stages/ppo) and its RL pieces: where the
 * reward and the prompts come from, the batch shape, and reward values.
 */
import { make, type Where } from './make.js';

export const rlErrors = {
  ppoNoReward: (at?: Where) =>
    make('E_SCHEMA', 'ppo needs a reward: with.reward naming a plugin reward function, or a `reward` input (a reward stage)',
      'Add `reward: <name>` under with (a defineReward in a plugin), or `inputs: { reward: <reward stage> }`.', at),

  ppoTwoRewards: (a: { reward: string }, at?: Where) =>
    make('E_SCHEMA', `ppo got both with.reward "${a.reward}" and a reward input; it optimises against one`, 'Drop one of them.', at),

  ppoNoPrompts: (at?: Where) =>
    make('E_SCHEMA', 'ppo has no prompts', 'Give with.prompts (a list) or with.prompts_file (JSONL of {"prompt": …} lines).', at),

  ppoPromptsInvalid: (a: { where: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.where}: ${a.problem}`, 'Each line is {"prompt": "…"}.', at),

  ppoPromptsUnreadable: (a: { file: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot read prompts file ${a.file}`, 'Check the path; it is relative to the pipeline file.', at),

  /** The iteration's minibatches must split into whole optimizer steps. */
  ppoBatchShape: (a: { batchSize: number; miniBatchSize: number; gradAccum: number }, at?: Where) =>
    make('E_SCHEMA', `ppo batch_size ${a.batchSize} is not a multiple of mini_batch_size ${a.miniBatchSize} × grad_accum ${a.gradAccum}`,
      'Pick batch_size = k · mini_batch_size · grad_accum, so each rollout is used in whole optimizer steps.', at),

  ppoNoRoom: (a: { maxNewTokens: number; blockSize: number }, at?: Where) =>
    make('E_SCHEMA', `ppo max_new_tokens ${a.maxNewTokens} leaves no room for a prompt in block_size ${a.blockSize}`,
      'Lower max_new_tokens below the model\'s block_size.', at),

  rewardOptionsInvalid: (a: { reward: string; problem: string }, at?: Where) =>
    make('E_SCHEMA', `reward_options do not fit reward "${a.reward}": ${a.problem}`, 'See the reward plugin\'s schema.', at),

  rewardNotFinite: (a: { reward: string; value: string; prompt: string }, at?: Where) =>
    make('E_PLUGIN_HOOK', `reward "${a.reward}" returned ${a.value} for prompt ${JSON.stringify(a.prompt)}`, 'A reward must return a finite number.', at),
};
