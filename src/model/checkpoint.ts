/**
 * @fileoverview The `model` artifact folder (DESIGN.md): `config.json` (HF GPT-2) +
 * `model.safetensors` (HF GPT-2 names; `lm_head` tied, so not stored) + `tokenizer.json`.
 * `GPT2LMHeadModel.from_pretrained(dir)` loads it.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
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

/** Reads a model folder back: config and weights by HF name (shapes checked). */
export async function loadModelFolder(dir: string): Promise<{ config: GPTConfig; weights: Map<string, Float32Array> }> {
  const config = fromHfConfig(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>);
  const { tensors } = await readSafetensors(join(dir, 'model.safetensors'));
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(config)) {
    const t = tensors.get(name);
    if (!t) throw new Error(`${dir}/model.safetensors lacks ${name}`);
    if (t.shape.join(',') !== shape.join(',')) throw new Error(`${name} has shape [${t.shape}], config says [${shape}]`);
    weights.set(name, t.data);
  }
  return { config, weights };
}
