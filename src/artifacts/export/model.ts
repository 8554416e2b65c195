/**
 * @fileoverview Exporting a `model` (or `reward`) artifact as a Hugging Face folder: every
 * file of the artifact, plus what Hugging Face tools expect beside `config.json` when the
 * stage did not write it — `tokenizer_config.json` (GPT2TokenizerFast, its special tokens
 * from tokenizer.json), `generation_config.json` (bos/eos/pad ids) — and a model card.
 */
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { listFiles } from '../../util/hash.js';
import { modelCard, type ModelCardInfo, type ModelShape } from './model-card.js';
import { placeFile, type PlaceMode } from './place.js';

type Json = Record<string, unknown>;

/** Writes the model folder `src` into the empty folder `dest`. */
export async function exportModel(src: string, dest: string, mode: PlaceMode, card?: ModelCardInfo): Promise<void> {
  for (const rel of await listFiles(src)) await placeFile(join(src, rel), join(dest, rel), mode);
  const config = await readJson(join(src, 'config.json'));
  const eos = typeof config.eos_token_id === 'number' ? config.eos_token_id : undefined;
  const eosText = await tokenText(join(src, 'tokenizer.json'), eos);
  if (!existsSync(join(src, 'tokenizer_config.json'))) {
    const special = eosText === undefined ? {} : { bos_token: eosText, eos_token: eosText, unk_token: eosText };
    await writeJson(join(dest, 'tokenizer_config.json'), {
      tokenizer_class: 'GPT2TokenizerFast', model_max_length: config.n_positions ?? null,
      add_prefix_space: false, clean_up_tokenization_spaces: false, ...special,
    });
  }
  if (!existsSync(join(src, 'generation_config.json'))) {
    await writeJson(join(dest, 'generation_config.json'), { _from_model_config: true, bos_token_id: eos ?? null, eos_token_id: eos ?? null, pad_token_id: eos ?? null });
  }
  if (card && !existsSync(join(src, 'README.md'))) await writeFileAtomic(join(dest, 'README.md'), modelCard(card, await modelShape(src, config)));
}

/** Layers, width, … from config.json and the parameter count from the safetensors header. */
export async function modelShape(dir: string, config?: Json): Promise<ModelShape> {
  const c = config ?? await readJson(join(dir, 'config.json'));
  const n = (k: string) => (typeof c[k] === 'number' ? c[k] : undefined);
  return { n_layer: n('n_layer'), n_head: n('n_head'), n_embd: n('n_embd'), n_positions: n('n_positions'), vocab_size: n('vocab_size'), parameters: await parameterCount(join(dir, 'model.safetensors')) };
}

/** Elements over every tensor of a safetensors file (its JSON header only is read). */
export async function parameterCount(file: string): Promise<number | undefined> {
  if (!existsSync(file)) return undefined;
  const fh = await open(file, 'r');
  try {
    const len = Buffer.alloc(8);
    await fh.read(len, 0, 8, 0);
    const n = Number(len.readBigUInt64LE(0));
    if (!(n > 0 && n < 100_000_000)) return undefined;
    const head = Buffer.alloc(n);
    await fh.read(head, 0, n, 8);
    const entries = JSON.parse(head.toString('utf8')) as Record<string, { shape?: number[] }>;
    let total = 0;
    for (const [name, e] of Object.entries(entries)) if (name !== '__metadata__') total += (e.shape ?? []).reduce((a, b) => a * b, 1);
    return total;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

async function readJson(file: string): Promise<Json> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

/** The text of special token `id` in a tokenizer.json, if it lists it. */
async function tokenText(file: string, id: number | undefined): Promise<string | undefined> {
  if (id === undefined) return undefined;
  const tok = await readJson(file);
  const added = Array.isArray(tok.added_tokens) ? (tok.added_tokens as Array<{ id?: number; content?: string }>) : [];
  return added.find((t) => t.id === id)?.content;
}

const writeJson = (file: string, v: unknown) => writeFileAtomic(file, JSON.stringify(v, null, 2) + '\n');
