/**
 * @fileoverview Messages for preference labelling (src/label): `trainyard label` (the
 * interactive tool and `--judge`), its prompt and preference files, and the feedback stage.
 */
import { make, type Where } from './make.js';

const PROMPT_HINT = 'Each line is {"prompt": "…"}, a JSON string, or {"messages": [{"role": "user", "content": "…"}, …]} (its first user turn).';

export const labelErrors = {
  /** `trainyard label` without a terminal to ask in. */
  labelNeedsTty: (at?: Where) =>
    make('E_USAGE', 'trainyard label is interactive and needs a terminal (stdin and stdout are not a TTY)',
      'To label without a person, score samples with a reward function: trainyard label <model> --prompts … --out … --judge <reward>, or the `feedback` pipeline stage.', at),

  promptsUnreadable: (a: { file: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot read prompt file ${a.file}`, 'Check the path (in a pipeline it is relative to the pipeline file).', at),

  promptsEmpty: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} holds no prompts`, PROMPT_HINT, at),

  /** `where` is `file:line`. */
  promptLineInvalid: (a: { where: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.where}: ${a.problem}`, PROMPT_HINT, at),

  /** A complete line of an existing preference file that cannot be read back (`where` is `file:line`). */
  labelLineInvalid: (a: { where: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.where}: ${a.problem}`,
      'Lines are {"prompt","chosen","rejected"} (+ "tie": true), chat form {"chosen": [messages], "rejected": [messages]}, or {"prompt", "skipped": true}. Fix or remove the line; a cut-off last line is repaired automatically.', at),

  /** The feedback stage was given no prompts. */
  feedbackNoPrompts: (at?: Where) =>
    make('E_SCHEMA', 'feedback: no prompts to sample from',
      'Give with.prompts (a list), with.prompts_file (JSONL relative to the pipeline file), or an `sft` input whose user turns become the prompts.', at),

  /** A reward function returned something other than a finite number. */
  rewardNotNumber: (a: { reward: string; value: unknown }, at?: Where) =>
    make('E_PLUGIN_HOOK', `reward "${a.reward}" returned ${JSON.stringify(a.value) ?? String(a.value)}, not a finite number`,
      'A reward function\'s score() must return (or resolve to) a finite number, higher is better.', at),

};
