/**
 * @fileoverview Messages for stage options and inputs checked when a stage runs
 * (src/stages): split fractions, mix weights, tokenizer training, pretrain model shape and
 * checkpoints, eval splits, and the options of filter rules.
 */
import { didYouMean } from '../did-you-mean.js';
import { make, type Where } from './make.js';

export const stageErrors = {
  /** A stage ran without the input it needs, e.g. `eval needs a model input.` */
  stageInputAbsent: (a: { type: string; kind: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.type} needs a ${a.kind} input.`, undefined, at),

  splitFractions: (a: { validation: number; test: number }, at?: Where) =>
    make('E_SCHEMA', `split: validation (${a.validation}) + test (${a.test}) must be below 1`,
      'Lower the validation/test fractions so that some documents remain for training.', at),

  mixWeightCount: (a: { weights: number; sources: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `mix: ${a.weights} weights for ${a.sources.length} sources`,
      `Give one weight per source, in input order: ${a.sources.join(', ')}.`, at),

  mixUnknownSources: (a: { unknown: readonly string[]; sources: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `mix: weights name unknown sources: ${a.unknown.join(', ')}`, `Sources: ${a.sources.join(', ')}.`, at),

  tokenizeTrainOn: (a: { option: string; splits: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `tokenize: train_on "${a.option}" is not a split of the input`,
      `The input has: ${a.splits.join(', ') || '(no documents)'}. Use one of them, or auto.`, at),

  tokenizePretrainedMissing: (at?: Where) =>
    make('E_SCHEMA', 'tokenize: mode "pretrained" needs the `pretrained` option', 'Set with.pretrained to a tokenizer.json path or to gpt2.', at),

  /** `problem` is checkConfig's sentence (src/model/config.ts). */
  modelShape: (a: { problem: string }, at?: Where) =>
    make('E_SCHEMA', a.problem, 'Pick n_head so that it divides n_embd.', at),

  checkpointMismatch: (a: { path: string }, at?: Where) =>
    make('E_ARTIFACT', `checkpoint ${a.path} has another model config`, 'Delete the checkpoint folder to start over.', at),

  /** A checkpoint's trainer_state.json cannot be read or is not a JSON object. */
  checkpointStateInvalid: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} is not a readable trainer state (a JSON object)`, 'Delete the checkpoint folder it is in; training resumes from an older one.', at),

  /**
   * No checkpoint of a stage can be resumed from: `path` is the newest, `problem` what is wrong
   * with it, `older` how many older ones are damaged too.
   */
  checkpointDamaged: (a: { path: string; problem: string; older: number; root: string }, at?: Where) =>
    make('E_CHECKPOINT', `no checkpoint can be resumed from: ${a.path}: ${a.problem}` +
      (a.older > 0 ? `; ${a.older} older checkpoint${a.older === 1 ? ' is' : 's are'} damaged too` : ''),
    `Delete ${a.root} (or run the stage with --force) to train from scratch.`, at),

  validationTooShort: (a: { tokens: number; blockSize: number }, at?: Where) =>
    make('E_ARTIFACT', `validation data has ${a.tokens} tokens; need more than block_size (${a.blockSize}).`, undefined, at),

  evalSplitMissing: (a: { split: string; splits: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `tokens artifact has no split "${a.split}" (has: ${a.splits.join(', ')})`, 'Set eval `split` to one of them, or auto.', at),

  evalNoHeldOut: (a: { splits: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `no test or validation split among ${a.splits.join(', ')}`, 'Set eval `split` explicitly.', at),

  /** `where` names the entry, e.g. `rules[0] (shouting)`. */
  ruleTakesNoOptions: (a: { where: string; options: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `${a.where}: this filter takes no options, got ${a.options.join(', ')}`, undefined, at),

  ruleUnknownOption: (a: { where: string; rule: string; key: string; known: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `${a.where}: unknown option "${a.key}".${didYouMean(a.key, a.known)}`,
      a.known.length ? `Options of ${a.rule}: ${a.known.join(', ')}.` : 'This rule takes no options.', at),

  /** Any other schema error of a rule's options; `hint` is the option's description and default. */
  ruleOptionInvalid: (a: { where: string; what: string; problem: string; hint?: string }, at?: Where) =>
    make('E_SCHEMA', `${a.where}: ${a.what} ${a.problem}`, a.hint, at),
};
