/**
 * @fileoverview Exporting a `documents` artifact as one JSONL file per split
 * (`train.jsonl`, `validation.jsonl`, … or `all.jsonl`), one `{"id","text","meta"}` a line:
 * what `datasets.load_dataset("json", data_files=…)` and `jq` read. A split stored as one
 * shard is placed as is (so --link links it); several shards are concatenated.
 */
import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listSplits } from '../documents.js';
import { placeFile, type PlaceMode } from './place.js';

/** Writes the documents folder `src` into the empty folder `dest`. */
export async function exportDocuments(src: string, dest: string, mode: PlaceMode): Promise<void> {
  const names = await readdir(src);
  for (const split of await listSplits(src)) {
    const shards = names.filter((n) => n.startsWith(`${split}-`) && n.endsWith('.jsonl')).sort();
    const out = join(dest, `${split}.jsonl`);
    if (shards.length === 1) {
      await placeFile(join(src, shards[0]!), out, mode);
      continue;
    }
    const fh = await open(out, 'w');
    try {
      for (const shard of shards) for await (const chunk of createReadStream(join(src, shard))) await fh.write(chunk as Buffer);
    } finally {
      await fh.close();
    }
  }
}
