/**
 * @fileoverview Messages for data and artifacts on disk: source files (globs, packages,
 * Parquet), token files, tokenizers, model folders and safetensors, and training data.
 */
import { listOf, make, type Where } from './make.js';

const TOKENS_HINT = 'Re-run the tokenize stage (`trainyard run --force <tokenize stage>`) to rewrite the artifact.';
const MODEL_HINT = 'Point at a folder written by a pretrain stage or a Hugging Face GPT-2 folder (config.json + model.safetensors), or re-run that stage.';
const GPT2_ONLY = 'Trainyard imports GPT-2 checkpoints (GPT2LMHeadModel) with tied embeddings only.';

export const dataErrors = {
  noInput: (a: { patterns: string; cwd: string }, at?: Where) =>
    make('E_NO_INPUT', `No files match ${a.patterns} (relative to ${a.cwd}).`, 'Check the glob; paths are relative to the pipeline file.', at),

  packageMissing: (a: { pkg: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `Package "${a.pkg}" is not installed.`, `npm install ${a.pkg}`, at),

  parquetColumn: (a: { file: string; field: string; columns: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `parquet file ${a.file} has no column "${a.field}" (columns: ${listOf(a.columns)})`,
      'Set `with.field` of the source stage to the column that holds the text.', at),

  parquetCodec: (a: { file: string; codec: string; supported: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `parquet file ${a.file} is compressed with ${a.codec}, which Trainyard cannot read (it reads ${a.supported.join(', ')}).`,
      'Rewrite the file with another codec, e.g. pyarrow.parquet.write_table(t, path, compression="zstd").', at),

  parquetInvalid: (a: { file: string; reason: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} is not a readable Parquet file: ${a.reason}`, 'Check that the file is complete (not a Git LFS pointer or a partial download).', at),

  /** A file of the tokens artifact (meta.json or <split>.bin) is missing or unreadable. */
  tokensFileMissing: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `cannot read ${a.file}`, TOKENS_HINT, at),

  tokensMetaInvalid: (a: { file: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file}: ${a.problem}`, TOKENS_HINT, at),

  tokensSplitMissing: (a: { split: string; splits: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `tokens artifact has no split "${a.split}" (has: ${a.splits.join(', ')})`, TOKENS_HINT, at),

  tokensFileSize: (a: { file: string; bytes: number; expected: number }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} has ${a.bytes} bytes; meta.json says ${a.expected}`, TOKENS_HINT, at),

  splitTooShort: (a: { split: string; tokens: number; blockSize: number }, at?: Where) =>
    make('E_ARTIFACT', `split "${a.split}" has ${a.tokens} tokens; training needs at least block_size + 1 = ${a.blockSize + 1}`,
      `Lower block_size (at most ${Math.max(1, a.tokens - 1)} fits), or feed the stage more text.`, at),

  tokenizerUnreadable: (a: { file: string; pretrained: readonly string[] }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot read tokenizer file ${a.file}`, `Check the path, or use one of: ${a.pretrained.join(', ')}.`, at),

  tiktokenName: (a: { name: string }, at?: Where) =>
    make('E_USAGE', `invalid tiktoken encoding name "${a.name}"`, undefined, at),

  tiktokenMissing: (a: { name: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot load tiktoken ranks "${a.name}" from js-tiktoken`,
      'Install js-tiktoken (`npm install js-tiktoken`), or point `pretrained` at a tokenizer.json file.', at),

  tokenizerNotJson: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} is not valid JSON`, 'Expected a Hugging Face tokenizer.json.', at),

  tokenizerUnsupported: (a: { problem: string; hint?: string }, at?: Where) =>
    make('E_ARTIFACT', `tokenizer.json: ${a.problem}`,
      a.hint ?? 'Trainyard reads byte-level BPE (GPT-2 style) and its own char-level tokenizer.json files.', at),

  modelFileMissing: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `cannot read ${a.file}`, MODEL_HINT, at),

  modelConfigInvalid: (a: { file: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file}: ${a.problem}`, MODEL_HINT, at),

  modelTensorMissing: (a: { file: string; tensor: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} lacks ${a.tensor}`, MODEL_HINT, at),

  modelTensorShape: (a: { file: string; tensor: string; shape: readonly number[]; expected: readonly number[] }, at?: Where) =>
    make('E_ARTIFACT', `${a.file}: ${a.tensor} has shape [${a.shape.join(',')}], config.json says [${a.expected.join(',')}]`,
      'config.json and model.safetensors come from different models; copy both from the same run.', at),

  /** A malformed safetensors file; `problem` says what and, where it helps, at which bytes. */
  safetensorsInvalid: (a: { file: string; problem: string }, at?: Where) =>
    make('E_MODEL', `${a.file} is not a valid safetensors file: ${a.problem}`, 'The file is truncated or not safetensors; re-run the stage that wrote it, or download it again.', at),

  safetensorsDtype: (a: { file: string; tensor: string; dtype: string }, at?: Where) =>
    make('E_MODEL', `${a.file}: ${a.tensor} has dtype ${a.dtype}; Trainyard reads F32, F16, BF16 and F64`, 'Save the weights as float32, float16 or bfloat16.', at),

  /** A folder to import (`type: model`, `with.path`) does not exist or is not a folder. */
  modelFolderMissing: (a: { path: string; problem: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `model folder ${a.path} ${a.problem}`,
      'Set `with.path` (relative to the pipeline file) to a Hugging Face GPT-2 folder: config.json + model.safetensors + tokenizer.json.', at),

  /** Neither model.safetensors nor a shard index; `found` lists other weight files seen. */
  modelWeightsMissing: (a: { dir: string; found: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `${a.dir} has no model.safetensors (nor model.safetensors.index.json)${a.found.length ? `; it has ${listOf(a.found)}` : ''}`,
      a.found.length
        ? 'Only safetensors weights are read; convert them with transformers: AutoModelForCausalLM.from_pretrained(dir).save_pretrained(dir, safe_serialization=True).'
        : MODEL_HINT, at),

  /** A shard named by model.safetensors.index.json is not in the folder. */
  modelShardMissing: (a: { index: string; shard: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.index} names shard ${a.shard}, which cannot be read`, 'Download every shard the index lists into the same folder.', at),

  /** config.json describes a model Trainyard's GPT cannot run; `why` says what would differ. */
  modelUnsupported: (a: { file: string; problem: string; why?: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file}: ${a.problem}`, a.why ? `${a.why} ${GPT2_ONLY}` : GPT2_ONLY, at),

  /** lm_head.weight is stored and differs from the token embedding. */
  modelHeadUntied: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file}: lm_head.weight differs from wte.weight (an untied output head)`, GPT2_ONLY, at),

  /** A model folder has no tokenizer.json, nor vocab.json + merges.txt to build one from. */
  modelTokenizerMissing: (a: { dir: string; missing: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.dir} has no tokenizer.json (${a.missing})`,
      'Add the tokenizer.json of the model (or its vocab.json and merges.txt) to the folder.', at),

  optimizerStateMissing: (a: { file: string; tensor: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} lacks moments of ${a.tensor}`, 'The checkpoint does not match this model; delete it to train from scratch.', at),

  trainingStopped: (a: { step: number }, at?: Where) =>
    make('E_ABORTED', `Training stopped at step ${a.step}; checkpoint saved.`, 'Run the stage again to resume.', at),

  cancelled: (at?: Where) => make('E_ABORTED', 'cancelled', undefined, at),

  nanLoss: (a: { loss: number; step: number }, at?: Where) =>
    make('E_NAN', `Loss became ${a.loss} at step ${a.step}; the last good checkpoint is kept.`, 'Lower lr, raise warmup_steps, or set grad_clip (e.g. 1.0).', at),

  /** Without an issue counter, a line that is not a document fails the read. */
  documentInvalid: (a: { what: string }, at?: Where) =>
    make('E_ARTIFACT', `documents: ${a.what} is not a document.`, 'Documents are JSONL lines of {"id", "text", "meta"}.', at),

  modelVocabTooSmall: (a: { tokenizerVocab: number; modelVocab: number }, at?: Where) =>
    make('E_ARTIFACT', `the model's tokenizer has ${a.tokenizerVocab} ids but the model only ${a.modelVocab}`, undefined, at),
};
