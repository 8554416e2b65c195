/**
 * @fileoverview The `tokens` artifact, in nanoGPT's format so `train.py` can memmap it:
 *
 *   <split>.bin     raw little-endian uint16 token ids (uint32 when vocab_size > 65535),
 *                   documents separated by the end-of-text token
 *   meta.json       { vocab_size, dtype: "uint16"|"uint32", eot_id, splits: { <split>: n_tokens }, tokenizer: "tokenizer.json" }
 *   tokenizer.json  the Hugging Face tokenizer that produced the ids
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';

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

export async function readTokensMeta(dir: string): Promise<TokensMeta> {
  return JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as TokensMeta;
}

/** Loads a whole split into memory (small-model scale: a few hundred MB at most). */
export async function readTokens(dir: string, split: string): Promise<TokenArray> {
  const meta = await readTokensMeta(dir);
  if (!(split in meta.splits)) {
    throw new Error(`tokens artifact has no split "${split}" (has: ${Object.keys(meta.splits).join(', ')})`);
  }
  const buf = await readFile(join(dir, `${split}.bin`));
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
