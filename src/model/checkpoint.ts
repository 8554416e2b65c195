/**
 * @fileoverview The `model` artifact folder (DESIGN.md): `config.json` (HF GPT-2) +
 * `model.safetensors` (HF GPT-2 names; `lm_head` tied, so not stored) + `tokenizer.json`,
 * and `tokenizer_config.json` / `generation_config.json` when the model came with them.
 * `GPT2LMHeadModel.from_pretrained(dir)` loads it; loadModelFolder reads it back, and also
 * reads Hugging Face GPT-2 folders as published (see hf-weights.ts).
 */
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { readJsonFile } from '../util/json-file.js';
import { fromHfConfig, toHfConfig, type GPTConfig } from './config.js';
import { paramShapes } from './gpt.js';
import { readGpt2Weights, type WeightsReport } from './hf-weights.js';
import { writeSafetensors, type NamedTensor } from './safetensors.js';

/**
 * Files besides config, weights and tokenizer.json that travel with a model: chat template
 * and special tokens (tokenizer_config.json, special_tokens_map.json) and generation defaults.
 */
export const COMPANION_FILES = ['tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json'] as const;

export interface SaveModelOptions {
  /** A tokenizer.json to copy beside the weights. */
  tokenizerPath?: string;
  /** End-of-text id, written as bos/eos_token_id. */
  eosId?: number | null;
  /** Files to copy beside the weights under their own names (e.g. a COMPANION_FILES path); missing ones are skipped. */
  companions?: readonly string[];
}

/** A model folder read back (loadModelFolder). */
export interface LoadedModelFolder {
  config: GPTConfig;
  /** Weights by our names (paramShapes in gpt.ts), float32 whatever the stored dtype. */
  weights: Map<string, Float32Array>;
  /** The parsed config.json (eos_token_id and other fields Trainyard does not model). */
  hfConfig: Record<string, unknown>;
  /** What the weights looked like on disk: files, dtypes, renamed and ignored tensors. */
  report: WeightsReport;
}

/** Writes config.json, model.safetensors (and tokenizer.json) into `dir`. */
export async function saveModelFolder(dir: string, config: GPTConfig, weights: Map<string, Float32Array>, o: SaveModelOptions = {}): Promise<void> {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, shape] of paramShapes(config)) {
    const data = weights.get(name);
    if (!data) throw new Error(`missing weight ${name}`);
    tensors.set(name, { shape, data });
  }
  await writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(toHfConfig(config, { eos_token_id: o.eosId ?? null }), null, 2) + '\n');
  if (o.tokenizerPath && existsSync(o.tokenizerPath)) await copyFile(o.tokenizerPath, join(dir, 'tokenizer.json'));
  for (const file of o.companions ?? []) if (existsSync(file)) await copyFile(file, join(dir, basename(file)));
}

/**
 * Reads a model folder back: ours, or a Hugging Face GPT-2 folder (bare or `transformer.`
 * names, F32/F16/BF16, sharded). A missing file, a config.json of another architecture or
 * malformed, a malformed safetensors header, a missing tensor or a shape that disagrees with
 * the config is E_ARTIFACT naming the file.
 */
export async function loadModelFolder(dir: string): Promise<LoadedModelFolder> {
  const { config, hfConfig } = await readModelConfig(join(dir, 'config.json'));
  const { weights, report } = await readGpt2Weights(dir, config);
  return { config, weights, hfConfig, report };
}

/** Reads and checks config.json (see fromHfConfig). */
export async function readModelConfig(file: string): Promise<{ config: GPTConfig; hfConfig: Record<string, unknown> }> {
  const hf = await readJsonFile(file, {
    missing: (cause) => errors.modelFileMissing({ file }, { cause }),
    invalid: (cause) => errors.modelConfigInvalid({ file, problem: 'not valid JSON' }, { cause }),
  });
  if (!hf || typeof hf !== 'object' || Array.isArray(hf)) throw errors.modelConfigInvalid({ file, problem: 'expected a JSON object' });
  const hfConfig = hf as Record<string, unknown>;
  return { config: fromHfConfig(hfConfig, file), hfConfig };
}
