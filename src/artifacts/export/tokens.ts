/**
 * @fileoverview Exporting a `tokens` artifact as a nanoGPT data folder: `train.bin` and
 * `val.bin` (nanoGPT's names; `test.bin` too when there is a test split), `meta.json` and the
 * `tokenizer.json` that produced the ids. nanoGPT's `train.py` memmaps the .bin files as
 * uint16; its `meta.pkl` only carries `vocab_size`, which meta.json has (see the README for
 * a one-line conversion).
 *
 *   meta.json  { vocab_size, dtype, eot_id, splits: { train: n, val: n }, files: { train: "train.bin", … }, tokenizer }
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { readTokensMeta } from '../tokens.js';
import { placeFile, type PlaceMode } from './place.js';

/** Our split names → nanoGPT's file stems (`all`, an unsplit set, is nanoGPT's `train`). */
const NANOGPT_NAMES: Record<string, string> = { train: 'train', validation: 'val', test: 'test', all: 'train' };

/** Writes the tokens folder `src` into the empty folder `dest`. */
export async function exportTokens(src: string, dest: string, mode: PlaceMode): Promise<void> {
  const meta = await readTokensMeta(src);
  const splits: Record<string, number> = {};
  const files: Record<string, string> = {};
  for (const [split, n] of Object.entries(meta.splits)) {
    let stem = NANOGPT_NAMES[split] ?? split;
    if (stem in splits) stem = split; // `all` beside a real `train`
    await placeFile(join(src, `${split}.bin`), join(dest, `${stem}.bin`), mode);
    splits[stem] = n;
    files[stem] = `${stem}.bin`;
  }
  const tokenizer = existsSync(join(src, meta.tokenizer)) ? meta.tokenizer : undefined;
  if (tokenizer) await placeFile(join(src, tokenizer), join(dest, tokenizer), mode);
  await writeFileAtomic(join(dest, 'meta.json'), JSON.stringify({ vocab_size: meta.vocab_size, dtype: meta.dtype, eot_id: meta.eot_id, splits, files, tokenizer: tokenizer ?? null }, null, 2) + '\n');
}
