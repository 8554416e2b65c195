/**
 * @fileoverview Loads a `model` artifact folder (config.json + model.safetensors +
 * tokenizer.json, see checkpoint.ts) into a ready GPT and its tokenizer: the one loader used
 * by `trainyard sample` and the eval stage. Hugging Face GPT-2 folders load too (see
 * hf-weights.ts), including older ones with vocab.json + merges.txt instead of tokenizer.json.
 * Set up a backend first (ctx.tensors()).
 *
 *   const { model, tokenizer } = await loadModel('out/model');
 *   try { … } finally { model.dispose(); }
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { loadTokenizer, tokenizerFromJSON, type Tokenizer } from '../tokenizer/index.js';
import { loadModelFolder } from './checkpoint.js';
import type { GPTConfig } from './config.js';
import { GPT } from './gpt.js';
import { readFolderTokenizer } from './hf-tokenizer.js';

export interface LoadedModel {
  /** The model on the current TF.js backend; the caller disposes it. */
  model: GPT;
  tokenizer: Tokenizer;
  config: GPTConfig;
}

/** Reads a model folder; throws E_ARTIFACT when its tokenizer has more ids than the model. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const { config, weights } = await loadModelFolder(dir);
  const file = join(dir, 'tokenizer.json');
  const slowFiles = existsSync(join(dir, 'vocab.json')) && existsSync(join(dir, 'merges.txt'));
  const tokenizer = existsSync(file) || !slowFiles ? await loadTokenizer(file) : tokenizerFromJSON((await readFolderTokenizer(dir)).json);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw errors.modelVocabTooSmall({ tokenizerVocab: tokenizer.vocabSize, modelVocab: config.vocab_size });
  }
  return { model: new GPT(config, weights), tokenizer, config };
}
