/**
 * @fileoverview The `model` artifact folder (DESIGN.md): `config.json` (HF GPT-2) +
 * `model.safetensors` (HF GPT-2 names; `lm_head` tied, so not stored) + `tokenizer.json`.
 * `GPT2LMHeadModel.from_pretrained(dir)` loads it.
 */
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { readJsonFile } from '../util/json-file.js';
import { fromHfConfig, toHfConfig, type GPTConfig } from './config.js';
import { paramShapes } from './gpt.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from './safetensors.js';

export interface SaveModelOptions {
  /** A tokenizer.json to copy beside the weights. */
  tokenizerPath?: string;
  /** End-of-text id, written as bos/eos_token_id. */
  eosId?: number | null;
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
}

/**
 * Reads a model folder back: config and weights by HF name. A missing file, a malformed
 * config.json or safetensors header, a missing tensor or a shape that disagrees with the
 * config is E_ARTIFACT naming the file.
 */
export async function loadModelFolder(dir: string): Promise<{ config: GPTConfig; weights: Map<string, Float32Array> }> {
  const config = await readModelConfig(join(dir, 'config.json'));
  const file = join(dir, 'model.safetensors');
  if (!existsSync(file)) throw errors.modelFileMissing({ file });
  const { tensors } = await readSafetensors(file);
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(config)) {
    const t = tensors.get(name);
    if (!t) throw errors.modelTensorMissing({ file, tensor: name });
    if (t.shape.join(',') !== shape.join(',')) throw errors.modelTensorShape({ file, tensor: name, shape: t.shape, expected: shape });
    weights.set(name, t.data);
  }
  return { config, weights };
}

async function readModelConfig(file: string): Promise<GPTConfig> {
  const hf = await readJsonFile(file, {
    missing: (cause) => errors.modelFileMissing({ file }, { cause }),
    invalid: (cause) => errors.modelConfigInvalid({ file, problem: 'not valid JSON' }, { cause }),
  });
  if (!hf || typeof hf !== 'object' || Array.isArray(hf)) throw errors.modelConfigInvalid({ file, problem: 'expected a JSON object' });
  return fromHfConfig(hf as Record<string, unknown>, file);
}
