/**
 * @fileoverview Imports a Hugging Face GPT-2 model folder as people have it (bare or
 * `transformer.` names, F32/F16/BF16, sharded, tokenizer.json or vocab.json + merges.txt)
 * into our `model` artifact layout: config.json (toHfConfig), model.safetensors (F32, our
 * names), tokenizer.json, and the companion files (tokenizer_config.json, …) copied as is.
 * Used by the `model` stage (src/stages/model).
 *
 *   const files = await modelFolderFiles('models/gpt2');     // what the import reads
 *   const report = await importModelFolder('models/gpt2', outDir);
 */
import { existsSync } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { tokenizerFromJSON } from '../tokenizer/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { COMPANION_FILES, loadModelFolder, saveModelFolder } from './checkpoint.js';
import type { GPTConfig } from './config.js';
import { readFolderTokenizer } from './hf-tokenizer.js';
import { weightFiles, type WeightsReport } from './hf-weights.js';

/** What an import read and wrote (for the stage's log and stats). */
export interface ImportReport extends WeightsReport {
  config: GPTConfig;
  /** Parameter count (tied head counted once). */
  params: number;
  /** Where the tokenizer came from: `tokenizer.json` or `vocab.json + merges.txt`. */
  tokenizer: string;
  /** Companion files copied (folder-relative). */
  companions: string[];
}

/** E_FILE_NOT_FOUND unless `dir` is a folder. */
async function checkFolder(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (!st) throw errors.modelFolderMissing({ path: dir, problem: 'does not exist' });
  if (!st.isDirectory()) throw errors.modelFolderMissing({ path: dir, problem: 'is not a folder' });
}

/**
 * The files of `dir` an import reads (absolute, sorted): config.json, the weights (or the
 * shard index and every shard), the tokenizer files and the companions that exist. Their
 * content hashes make the stage's cache key. E_FILE_NOT_FOUND for a missing folder and
 * E_ARTIFACT for missing config.json or weights, as the import itself would say.
 */
export async function modelFolderFiles(dir: string): Promise<string[]> {
  await checkFolder(dir);
  if (!existsSync(join(dir, 'config.json'))) throw errors.modelFileMissing({ file: join(dir, 'config.json') });
  const { index, shards } = await weightFiles(dir);
  const names = ['config.json', ...(index ? [index] : []), ...shards, 'tokenizer.json', 'vocab.json', 'merges.txt', ...COMPANION_FILES];
  return [...new Set(names)].map((n) => join(dir, n)).filter((f) => existsSync(f)).sort();
}

/**
 * Reads the folder `src` (see loadModelFolder and readFolderTokenizer for what it accepts
 * and the errors it gives) and writes our normalised layout into `out`.
 */
export async function importModelFolder(src: string, out: string): Promise<ImportReport> {
  await checkFolder(src);
  const { config, weights, hfConfig, report } = await loadModelFolder(src);
  const tok = await readFolderTokenizer(src);
  const vocab = tokenizerFromJSON(tok.json).vocabSize;
  if (vocab > config.vocab_size) throw errors.modelVocabTooSmall({ tokenizerVocab: vocab, modelVocab: config.vocab_size });
  const eos = Number.isInteger(hfConfig.eos_token_id) ? (hfConfig.eos_token_id as number) : null;
  const companions = COMPANION_FILES.filter((f) => existsSync(join(src, f)));
  await saveModelFolder(out, config, weights, { eosId: eos, companions: companions.map((f) => join(src, f)) });
  if (tok.source === 'tokenizer.json') await copyFile(join(src, 'tokenizer.json'), join(out, 'tokenizer.json'));
  else await writeFileAtomic(join(out, 'tokenizer.json'), JSON.stringify(tok.json));
  let params = 0;
  for (const w of weights.values()) params += w.length;
  return { ...report, config, params, tokenizer: tok.source, companions };
}
