/**
 * @fileoverview The `documents` artifact: JSONL shards of {"id","text","meta"}, readable with
 * `jq` and Hugging Face datasets. Shards are named `<split>-<nnnnn>.jsonl`; an unsplit set uses
 * the split name `all`. Readers stream, so memory stays flat on any corpus size.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface Document {
  id: string;
  text: string;
  meta?: Record<string, unknown>;
}

/** Split name of an unsplit document set. */
export const ALL_SPLIT = 'all';
const SHARD_RE = /^([A-Za-z0-9_]+)-(\d{5})\.jsonl$/;

/** Split names present in a documents folder, in a stable order (train, validation, test first). */
export async function listSplits(dir: string): Promise<string[]> {
  const names = new Set<string>();
  for (const f of await readdir(dir)) {
    const m = SHARD_RE.exec(f);
    if (m) names.add(m[1]!);
  }
  const order = ['all', 'train', 'validation', 'test'];
  return [...names].sort((a, b) => {
    const ia = order.indexOf(a), ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
}

async function shardsOf(dir: string, split?: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => {
    const m = SHARD_RE.exec(f);
    return m && (split === undefined || m[1] === split);
  });
  // Order by split (stable listSplits order) then shard number.
  const splits = await listSplits(dir);
  return files.sort((a, b) => {
    const ma = SHARD_RE.exec(a)!, mb = SHARD_RE.exec(b)!;
    return splits.indexOf(ma[1]!) - splits.indexOf(mb[1]!) || Number(ma[2]) - Number(mb[2]);
  }).map((f) => join(dir, f));
}

/** Yields the raw JSONL lines of a file without loading it whole. */
export async function* readLines(path: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      if (i > start) yield text.slice(start, i);
      start = i + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield rest;
}

/**
 * Streams the documents of a folder. With `split`, only that split; otherwise every split in
 * order (for an unsplit set, that is just `all`). Each document carries `meta.split` only if
 * it was written that way; use `readDocumentsWithSplit` when you need the split name.
 */
export async function* readDocuments(dir: string, split?: string): AsyncGenerator<Document> {
  for (const shard of await shardsOf(dir, split)) {
    for await (const line of readLines(shard)) yield JSON.parse(line) as Document;
  }
}

/** Like readDocuments, but yields `[split, doc]` pairs across all splits. */
export async function* readDocumentsWithSplit(dir: string): AsyncGenerator<[string, Document]> {
  for (const split of await listSplits(dir)) {
    for await (const doc of readDocuments(dir, split)) yield [split, doc];
  }
}

interface OpenShard { fh: FileHandle; index: number; bytes: number; buf: string[]; bufBytes: number }

/** Writes documents into shards, one writer per output folder. Call close() at the end. */
export class DocumentsWriter {
  readonly dir: string;
  private readonly shardBytes: number;
  private readonly open = new Map<string, OpenShard>();
  private ready: Promise<unknown> | undefined;
  /** Documents written per split. */
  readonly counts: Record<string, number> = {};
  /** UTF-8 bytes of text written per split. */
  readonly bytes: Record<string, number> = {};

  /** @param shardBytes start a new shard past this many bytes. @default 64 MiB */
  constructor(dir: string, options: { shardBytes?: number } = {}) {
    this.dir = dir;
    this.shardBytes = options.shardBytes ?? 64 * 1024 * 1024;
  }

  async write(doc: Document, split: string = ALL_SPLIT): Promise<void> {
    if (!/^[A-Za-z0-9_]+$/.test(split)) throw new Error(`invalid split name "${split}"`);
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    let shard = this.open.get(split);
    if (!shard) {
      shard = { fh: await open(join(this.dir, `${split}-00000.jsonl`), 'w'), index: 0, bytes: 0, buf: [], bufBytes: 0 };
      this.open.set(split, shard);
    }
    const line = JSON.stringify(doc) + '\n';
    shard.buf.push(line);
    shard.bufBytes += line.length;
    shard.bytes += line.length;
    this.counts[split] = (this.counts[split] ?? 0) + 1;
    this.bytes[split] = (this.bytes[split] ?? 0) + Buffer.byteLength(doc.text);
    if (shard.bufBytes > 1 << 20) await this.flush(shard);
    if (shard.bytes >= this.shardBytes) {
      await this.flush(shard);
      await shard.fh.close();
      shard.index += 1;
      shard.fh = await open(join(this.dir, `${split}-${String(shard.index).padStart(5, '0')}.jsonl`), 'w');
      shard.bytes = 0;
    }
  }

  private async flush(shard: OpenShard): Promise<void> {
    if (shard.buf.length === 0) return;
    const data = shard.buf.join('');
    shard.buf = [];
    shard.bufBytes = 0;
    await shard.fh.write(data);
  }

  /** Flushes and closes every shard. An output with no documents still gets its folder. */
  async close(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const shard of this.open.values()) {
      await this.flush(shard);
      await shard.fh.close();
    }
    this.open.clear();
  }
}
