/**
 * @fileoverview The `documents` artifact: JSONL shards of {"id","text","meta"}, readable with
 * `jq` and Hugging Face datasets. Shards are named `<split>-<nnnnn>.jsonl`; an unsplit set uses
 * the split name `all`. Readers stream, so memory stays flat on any corpus size.
 *
 * Readers are tolerant when given an issue counter: a malformed JSON line, binary junk or a
 * `text` that is not a string is skipped and counted, so bad input never crashes a data
 * stage (report the counts with reportIssues). Without a counter such a line throws.
 *
 *   const issues = newIssues();
 *   for await (const { split, doc } of readDocumentsWithSplit(dirs, issues)) …
 *   reportIssues(ctx, issues);
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';

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

/** Counts of skipped input lines, by kind. */
export interface DocumentIssues {
  invalid_json: number;
  invalid_doc: number;
}

export function newIssues(): DocumentIssues {
  return { invalid_json: 0, invalid_doc: 0 };
}

/** A document with the split it was read from. */
export interface SplitDocument {
  split: string;
  doc: Document;
}

/**
 * Parses one JSONL line into a Document (`id` made a string, `meta` kept only when it is an
 * object). A line that is not a document is counted in `issues` and gives undefined; without
 * `issues` it throws E_ARTIFACT.
 */
export function parseDocument(line: string, fallbackId: string, issues?: DocumentIssues): Document | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return skip(issues, 'invalid_json', `malformed JSON line (${fallbackId})`);
  }
  if (!raw || typeof raw !== 'object' || typeof (raw as Document).text !== 'string') {
    return skip(issues, 'invalid_doc', `line without a string "text" (${fallbackId})`);
  }
  const d = raw as Document;
  const id = typeof d.id === 'string' || typeof d.id === 'number' ? String(d.id) : fallbackId;
  const meta = d.meta && typeof d.meta === 'object' && !Array.isArray(d.meta) ? d.meta : undefined;
  return meta ? { id, text: d.text, meta } : { id, text: d.text };
}

function skip(issues: DocumentIssues | undefined, kind: keyof DocumentIssues, what: string): undefined {
  if (!issues) throw errors.documentInvalid({ what });
  issues[kind]++;
  return undefined;
}

/** Line counter shared by one read, so fallback ids (`doc<n>`) number every line read. */
interface ReadState { lines: number; issues?: DocumentIssues }

async function* documentsOf(dir: string, split: string | undefined, state: ReadState): AsyncGenerator<Document> {
  for (const shard of await shardsOf(dir, split)) {
    for await (const line of readLines(shard)) {
      const doc = parseDocument(line, `doc${state.lines}`, state.issues);
      state.lines++;
      if (doc) yield doc;
    }
  }
}

/**
 * Streams the documents of a folder. With `split`, only that split; otherwise every split in
 * listSplits order (for an unsplit set, that is just `all`). Use readDocumentsWithSplit when
 * you need the split name.
 */
export function readDocuments(dir: string, split?: string, issues?: DocumentIssues): AsyncGenerator<Document> {
  return documentsOf(dir, split, { lines: 0, issues });
}

/** Every document of one or more folders with its split (splits in listSplits order). */
export async function* readDocumentsWithSplit(dirs: string | string[], issues?: DocumentIssues): AsyncGenerator<SplitDocument> {
  const state: ReadState = { lines: 0, issues };
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    for (const split of await listSplits(dir)) {
      for await (const doc of documentsOf(dir, split, state)) yield { split, doc };
    }
  }
}

/** Records skipped input as stats and warns when there was any. */
export function reportIssues(ctx: { log: { warn(m: string): void }; stats(v: Record<string, number>): void }, issues: DocumentIssues): void {
  const total = issues.invalid_json + issues.invalid_doc;
  ctx.stats({ skipped_invalid_json: issues.invalid_json, skipped_invalid_doc: issues.invalid_doc });
  if (total > 0) ctx.log.warn(`skipped ${total} input line(s) that are not documents (${issues.invalid_json} malformed JSON, ${issues.invalid_doc} without a string "text")`);
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
