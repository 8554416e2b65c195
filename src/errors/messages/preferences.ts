/**
 * @fileoverview Messages for preference data (src/preferences: TRL's prompt/chosen/rejected
 * JSONL and its chat form) and the stages trained on it (reward, dpo), and reward-model folders.
 */
import { make, type Where } from './make.js';

const LINE_HINT = 'Each line is {"prompt": str, "chosen": str, "rejected": str} (optional "margin": number), or the chat form {"chosen": [messages], "rejected": [messages]} whose shared prefix is the prompt (or with "prompt": [messages]).';

export const preferenceErrors = {
  /** `where` is `file:line`. */
  preferenceLineInvalid: (a: { where: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.where}: ${a.problem}`, LINE_HINT, at),

  preferencesUnreadable: (a: { file: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot read preference file ${a.file}`, 'Check the path; it is relative to the pipeline file.', at),

  preferencesEmpty: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} holds no preference pairs`, LINE_HINT, at),

  preferencesNoData: (a: { type: string }, at?: Where) =>
    make('E_SCHEMA', `${a.type} has no preference pairs`,
      'Connect a `data` input (a preferences artifact: train.jsonl, validation.jsonl) or set with.data to JSONL files; at least two pairs are needed when validation is held out.', at),

  /** A block size the model cannot take. */
  preferenceBlockSize: (a: { type: string; blockSize: number; model: number }, at?: Where) =>
    make('E_SCHEMA', `${a.type}: max_length ${a.blockSize} exceeds the model's block_size ${a.model}`, `Set max_length to at most ${a.model} (0 = the model's block_size).`, at),

  /** A reward folder without the sequence-classification head. */
  rewardModelInvalid: (a: { dir: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.dir} is not a reward model: ${a.problem}`,
      'Point at the output of a reward stage (config.json with GPT2ForSequenceClassification, model.safetensors with score.weight [1, n_embd], tokenizer.json, reward_stats.json).', at),
};
