/**
 * @fileoverview Messages of the sft stage (src/stages/sft): where its conversations come
 * from, the model it starts from, and LoRA's options.
 */
import { didYouMean } from '../did-you-mean.js';
import { make, type Where } from './make.js';

export const sftErrors = {
  sftNoData: (at?: Where) =>
    make('E_SCHEMA', 'sft has no training conversations',
      'Connect a `data` input (an sft artifact) or set with.data to JSONL files (chat {"messages": […]} or instruction {"instruction", "output"}); at least two conversations are needed when validation is held out.', at),

  sftDataFileMissing: (a: { file: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `sft data file ${a.file} does not exist`, 'Paths in with.data and with.validation_data are relative to the pipeline file.', at),

  /** The data was prepared for another tokenizer than the model's. */
  sftTokenizerMismatch: (a: { model: string; data: string; modelPath: string }, at?: Where) =>
    make('E_ARTIFACT', `the model's tokenizer (sha256 ${a.model.slice(0, 12)}…, ${a.modelPath}) differs from the tokenizer input (sha256 ${a.data.slice(0, 12)}…)`,
      'Fine-tune with the tokenizer the model was trained with: connect the tokenizer input to the stage that tokenized the base model\'s data, or leave it out.', at),

  sftBlockSize: (a: { blockSize: number; model: number }, at?: Where) =>
    make('E_SCHEMA', `sft: block_size ${a.blockSize} exceeds the model's context (${a.model})`, `Use at most ${a.model}, or 0 for the model's.`, at),

  loraUnknownTarget: (a: { target: string; known: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `lora.target_modules: "${a.target}" matches no module of the model.${didYouMean(a.target, a.known)}`,
      `Modules: ${a.known.join(', ')} (a suffix such as attn.c_proj picks one of the two c_proj).`, at),
};
