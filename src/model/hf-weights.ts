/**
 * @fileoverview The weights of a Hugging Face GPT-2 folder, as people have them: one
 * `model.safetensors` or shards listed in `model.safetensors.index.json`, tensors named with
 * or without the `transformer.` prefix (the published `gpt2` has bare `h.0.…`), the
 * `attn.bias` / `attn.masked_bias` buffers some files carry, and an `lm_head.weight` that must
 * equal `wte.weight` (tied). The result uses our names (paramShapes in gpt.ts).
 *
 *   const { weights, report } = await readGpt2Weights('models/gpt2', config);
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { readJsonFile } from '../util/json-file.js';
import type { GPTConfig } from './config.js';
import type { Dtype } from './dtypes.js';
import { paramShapes } from './gpt.js';
import { readSafetensors, type NamedTensor } from './safetensors.js';

/** The single-file weights name. */
export const WEIGHTS_FILE = 'model.safetensors';
/** The shard index name (`{"weight_map": {tensor: shard file}}`). */
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

const PREFIX = 'transformer.';
/** Attention-mask buffers that older GPT-2 files store beside the parameters. */
const BUFFER = /^h\.\d+\.attn\.(bias|masked_bias)$/;
/** Whether a stored name is an attention-mask buffer (with or without the prefix). */
const isBuffer = (name: string): boolean => BUFFER.test(name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name);
/** Weight files of other frameworks, named when no safetensors is there. */
const OTHER_WEIGHTS = /^(pytorch_model.*\.bin|tf_model\.h5|flax_model\.msgpack|model\.ckpt.*|.*\.gguf)$/;

/** What reading a folder's weights found (for the import log). */
export interface WeightsReport {
  /** Weight files read, folder-relative: model.safetensors, or the index then its shards. */
  files: string[];
  /** Stored dtype → number of tensors. */
  dtypes: Partial<Record<Dtype, number>>;
  /** Tensors stored without the `transformer.` prefix, read under our names. */
  renamed: number;
  /** Stored tensors dropped on purpose: attention buffers and the tied lm_head.weight. */
  ignored: string[];
  /** Stored tensors that are not GPT-2 parameters (left out). */
  unused: string[];
}

/**
 * The weight files of `dir`, folder-relative: `[model.safetensors]`, or the index's shards
 * (sorted, each once) with `index` set. E_ARTIFACT when neither is there (naming other
 * frameworks' weight files it sees), the index is malformed, or a shard is missing.
 */
export async function weightFiles(dir: string): Promise<{ index: string | null; shards: string[] }> {
  if (existsSync(join(dir, WEIGHTS_FILE))) return { index: null, shards: [WEIGHTS_FILE] };
  const indexPath = join(dir, WEIGHTS_INDEX_FILE);
  if (!existsSync(indexPath)) {
    const found = existsSync(dir) ? (await readdir(dir)).filter((f) => OTHER_WEIGHTS.test(f)).sort() : [];
    throw errors.modelWeightsMissing({ dir, found });
  }
  const index = await readJsonFile(indexPath, {
    missing: (cause) => errors.modelFileMissing({ file: indexPath }, { cause }),
    invalid: (cause) => errors.modelConfigInvalid({ file: indexPath, problem: 'not valid JSON' }, { cause }),
  }) as { weight_map?: unknown } | null;
  const map = index?.weight_map;
  const names = map && typeof map === 'object' && !Array.isArray(map) ? Object.values(map) : null;
  if (!names || names.length === 0 || !names.every((f) => typeof f === 'string' && /^[^/\\]+$/.test(f) && f !== '..')) {
    throw errors.modelConfigInvalid({ file: indexPath, problem: '"weight_map" must map tensor names to shard file names in this folder' });
  }
  const shards = [...new Set(names as string[])].sort();
  for (const shard of shards) if (!existsSync(join(dir, shard))) throw errors.modelShardMissing({ index: indexPath, shard });
  return { index: WEIGHTS_INDEX_FILE, shards };
}

/**
 * Reads the GPT-2 parameters of `dir` for `config`, under our names. E_ARTIFACT (naming the
 * file) for a missing tensor, a shape that disagrees with config.json, or an untied lm_head.
 */
export async function readGpt2Weights(dir: string, config: GPTConfig): Promise<{ weights: Map<string, Float32Array>; report: WeightsReport }> {
  const { index, shards } = await weightFiles(dir);
  const stored = new Map<string, { tensor: NamedTensor; file: string }>();
  const report: WeightsReport = { files: index ? [index, ...shards] : shards, dtypes: {}, renamed: 0, ignored: [], unused: [] };
  for (const shard of shards) {
    const file = join(dir, shard);
    // Buffers are not read at all: they may be BOOL/U8, and gpt2's are 4 MB a layer.
    const { tensors, dtypes, skipped } = await readSafetensors(file, { skip: isBuffer });
    report.ignored.push(...skipped);
    for (const [name, tensor] of tensors) stored.set(name, { tensor, file });
    for (const d of dtypes.values()) report.dtypes[d] = (report.dtypes[d] ?? 0) + 1;
  }
  const weights = matchNames(stored, config, join(dir, index ?? WEIGHTS_FILE), report);
  report.ignored.sort();
  return { weights, report };
}

/** Maps stored names onto paramShapes(config), checking shapes; fills report.renamed/ignored/unused. */
function matchNames(
  stored: Map<string, { tensor: NamedTensor; file: string }>, config: GPTConfig, mainFile: string, report: WeightsReport,
): Map<string, Float32Array> {
  const expected = new Map(paramShapes(config));
  const found = new Map<string, { tensor: NamedTensor; file: string }>();
  let head: { tensor: NamedTensor; file: string } | undefined;
  for (const [name, entry] of stored) {
    const bare = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
    if (name === 'lm_head.weight') head = entry;
    else if (expected.has(PREFIX + bare) && !found.has(PREFIX + bare)) {
      found.set(PREFIX + bare, entry);
      if (name !== PREFIX + bare) report.renamed++;
    } else report.unused.push(name);
  }
  // Name a missing tensor as the file spells the others (bare when every match was bare).
  const spell = (name: string) => (report.renamed > 0 && report.renamed === found.size ? name.slice(PREFIX.length) : name);
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of expected) {
    const entry = found.get(name);
    if (!entry) throw errors.modelTensorMissing({ file: mainFile, tensor: spell(name) });
    if (entry.tensor.shape.join(',') !== shape.join(',')) {
      throw errors.modelTensorShape({ file: entry.file, tensor: spell(name), shape: entry.tensor.shape, expected: shape });
    }
    weights.set(name, entry.tensor.data);
  }
  if (head) {
    if (!sameValues(head.tensor, weights.get(`${PREFIX}wte.weight`)!)) throw errors.modelHeadUntied({ file: head.file });
    report.ignored.push('lm_head.weight');
  }
  return weights;
}

/** Whether a stored head equals the embedding: same element count and the same values. */
function sameValues(t: NamedTensor, wte: Float32Array): boolean {
  if (t.data.length !== wte.length) return false;
  for (let i = 0; i < wte.length; i++) if (t.data[i] !== wte[i]) return false;
  return true;
}
