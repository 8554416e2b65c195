/**
 * @fileoverview The `tokens` artifact, in nanoGPT's format so `train.py` can memmap it:
 *
 *   <split>.bin     raw little-endian uint16 token ids (uint32 when vocab_size > 65535),
 *                   documents separated by the end-of-text token
 *   meta.json       { vocab_size, dtype: "uint16"|"uint32", eot_id, splits: { <split>: n_tokens }, tokenizer: "tokenizer.json" }
 *   tokenizer.json  the Hugging Face tokenizer that produced the ids
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { readJsonFile } from '../util/json-file.js';

export interface TokensMeta {
  vocab_size: number;
  dtype: 'uint16' | 'uint32';
  /** Id of the end-of-text token that separates documents (null for none). */
  eot_id: number | null;
  /** Token count per split (`train`, `validation`, `test`, or `all`). */
  splits: Record<string, number>;
  /** File name of the tokenizer inside the folder. */
  tokenizer: string;
}

export type TokenArray = Uint16Array | Uint32Array;

/** The dtype nanoGPT expects for a vocabulary size. */
export function dtypeFor(vocabSize: number): 'uint16' | 'uint32' {
  return vocabSize > 65535 ? 'uint32' : 'uint16';
}

/** Reads and checks `meta.json`; a missing or malformed file is E_ARTIFACT naming it. */
/** The tokenizer.json a tokens artifact carries, or undefined when it has none. */
export function tokensTokenizerPath(dir: string): string | undefined {
  const path = join(dir, 'tokenizer.json');
  return existsSync(path) ? path : undefined;
}

export async function readTokensMeta(dir: string): Promise<TokensMeta> {
  const file = join(dir, 'meta.json');
  const meta = await readJsonFile(file, {
    missing: (cause) => errors.tokensFileMissing({ file }, { cause }),
    invalid: (cause) => errors.tokensMetaInvalid({ file, problem: 'not valid JSON' }, { cause }),
  });
  const problem = metaProblem(meta);
  if (problem) throw errors.tokensMetaInvalid({ file, problem });
  return meta as TokensMeta;
}

/** What is wrong with a parsed meta.json, or null. */
function metaProblem(m: unknown): string | null {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return 'expected a JSON object';
  const meta = m as Partial<Record<keyof TokensMeta, unknown>>;
  if (meta.dtype !== 'uint16' && meta.dtype !== 'uint32') return `"dtype" must be "uint16" or "uint32", got ${JSON.stringify(meta.dtype)}`;
  if (typeof meta.vocab_size !== 'number') return '"vocab_size" must be a number';
  const splits = meta.splits;
  if (!splits || typeof splits !== 'object' || Object.values(splits).some((n) => !Number.isInteger(n) || (n as number) < 0)) {
    return '"splits" must map split names to token counts';
  }
  return null;
}

/** Loads a whole split into memory (small-model scale: a few hundred MB at most). */
export async function readTokens(dir: string, split: string): Promise<TokenArray> {
  const meta = await readTokensMeta(dir);
  if (!(split in meta.splits)) throw errors.tokensSplitMissing({ split, splits: Object.keys(meta.splits) });
  const file = join(dir, `${split}.bin`);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw errors.tokensFileMissing({ file }, { cause: err });
  }
  const expected = meta.splits[split]! * (meta.dtype === 'uint32' ? 4 : 2);
  if (buf.byteLength !== expected) throw errors.tokensFileSize({ file, bytes: buf.byteLength, expected });
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return meta.dtype === 'uint32' ? new Uint32Array(ab) : new Uint16Array(ab);
}

/** Writes one split's ids (little-endian; this module assumes a little-endian host, as Node on x86/ARM is). */
export async function writeTokens(dir: string, split: string, ids: TokenArray): Promise<void> {
  await writeFileAtomic(join(dir, `${split}.bin`), new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
}

export async function writeTokensMeta(dir: string, meta: TokensMeta): Promise<void> {
  await writeFileAtomic(join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
}
