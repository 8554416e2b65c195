/**
 * @fileoverview Readers of external data formats (text, Markdown, JSONL, JSON, WARC, Parquet), used by the
 * source stage (datatrove's `pipeline/readers`). Each yields raw records; bad input
 * (binary, invalid UTF-8, empty, oversized, a truncated or corrupt archive) is reported through
 * `count`, never thrown. Files stream (bytes.ts): memory stays bounded by `maxBytes`, whatever
 * a `.gz` expands to.
 */
import { TrainyardError } from '../errors/index.js';
import { CorruptInputError, fileChunks, readBounded, splitLines } from './bytes.js';

export interface RawRecord { id?: string; text: string; meta: Record<string, unknown> }
export type Format = 'text' | 'markdown' | 'jsonl' | 'json' | 'warc' | 'parquet';

export function detectFormat(path: string): Format | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (/\.(txt|text)$/.test(p)) return 'text';
  if (/\.(md|markdown)$/.test(p)) return 'markdown';
  if (/\.(jsonl|ndjson)$/.test(p)) return 'jsonl';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.warc') || p.endsWith('.arc')) return 'warc';
  if (p.endsWith('.parquet')) return 'parquet';
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes bytes; binary (NUL bytes) → undefined; invalid UTF-8 → replacement characters + flag. */
export function decode(bytes: Uint8Array): { text?: string; invalid?: boolean; binary?: boolean } {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { binary: true };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: lenient.decode(bytes), invalid: true };
  }
}

function pick(obj: Record<string, unknown>, field: string, idField: string, fallbackId: string): RawRecord | undefined {
  const text = obj[field];
  if (typeof text !== 'string') return undefined;
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== field && k !== idField && k !== 'meta') meta[k] = v;
  if (obj.meta && typeof obj.meta === 'object') Object.assign(meta, obj.meta);
  const id = obj[idField];
  return { id: id === undefined ? fallbackId : String(id), text, meta };
}

export interface ReadOptions {
  field: string;
  idField: string;
  /** The file's path as the user sees it (relative to the pipeline), for ids and messages. */
  rel: string;
  /** Largest document (text file, JSONL line, WARC record, Parquet cell) kept, in bytes. */
  maxBytes: number;
  /** Counts one skipped thing of a kind; `note` names where (the file, the line) and why. */
  count: (what: string, note?: string) => void;
}

const MiB = 1 << 20;
/** `64 MiB`, or plain bytes below 1 MiB. */
export const formatBytes = (n: number): string => (n >= MiB ? `${+(n / MiB).toFixed(1)} MiB` : `${n} bytes`);
const overLimit = (o: ReadOptions, what: string) => `${what} over max_document_bytes (${formatBytes(o.maxBytes)}), skipped; raise with.max_document_bytes to keep it`;

/**
 * Yields the records of one file. Bad input (binary, invalid UTF-8, bad JSON, oversized
 * documents, a truncated or corrupt archive) is counted through `o.count`, never thrown; the
 * records read before a corrupt stretch are kept.
 */
export async function* readRecords(path: string, format: Format, o: ReadOptions): AsyncGenerator<RawRecord> {
  let n = 0;
  try {
    for await (const r of readFormat(path, format, o)) { n++; yield r; }
  } catch (err) {
    if (err instanceof TrainyardError) throw err;
    // warcio reports a broken gzip member or record as a plain Error; I/O errors (with a syscall) stay fatal.
    const warcParse = format === 'warc' && (err as { syscall?: unknown } | null)?.syscall === undefined;
    if (!(err instanceof CorruptInputError) && !warcParse) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    o.count('corrupt_files', `${o.rel}: corrupt or truncated (${reason}); ${n ? `kept the ${n} records before it, skipped the rest` : 'skipped'}`);
  }
}

async function* readFormat(path: string, format: Format, o: ReadOptions): AsyncGenerator<RawRecord> {
  if (format === 'text' || format === 'markdown') yield* readText(path, format, o);
  else if (format === 'jsonl') yield* readJsonl(path, o);
  else if (format === 'json') yield* readJson(path, o);
  else yield* readContainer(path, format, o);
}

async function* readText(path: string, format: 'text' | 'markdown', o: ReadOptions): AsyncGenerator<RawRecord> {
  const read = await readBounded(path, o.maxBytes, (head) => head.subarray(0, 8192).includes(0));
  if (read.oversized) { o.count('oversized_documents', `${o.rel}: ${overLimit(o, 'a text file')}`); return; }
  const d = decode(read.bytes);
  if (d.binary) { o.count('binary_files', `${o.rel}: binary (NUL bytes), skipped`); return; }
  if (d.invalid) o.count('invalid_utf8_files', `${o.rel}: invalid UTF-8, read with replacement characters`);
  yield { id: o.rel, text: d.text!, meta: { source: o.rel, ...(format === 'markdown' ? { format: 'markdown' } : {}) } };
}

async function* readJsonl(path: string, o: ReadOptions): AsyncGenerator<RawRecord> {
  for await (const line of splitLines(fileChunks(path), o.maxBytes)) {
    if (line.oversized) { o.count('oversized_documents', `${o.rel}:${line.n}: ${overLimit(o, `a line of ${formatBytes(line.size)},`)}`); continue; }
    const text = lenient.decode(line.bytes);
    if (!text.trim()) continue;
    let obj: unknown;
    try { obj = JSON.parse(text); } catch { o.count('invalid_json_lines'); continue; }
    const r = obj && typeof obj === 'object' ? pick(obj as Record<string, unknown>, o.field, o.idField, `${o.rel}:${line.n}`) : undefined;
    if (!r) { o.count('missing_field'); continue; }
    r.meta.source ??= o.rel;
    yield r;
  }
}

async function* readJson(path: string, o: ReadOptions): AsyncGenerator<RawRecord> {
  const read = await readBounded(path, o.maxBytes);
  if (read.oversized) { o.count('oversized_files', `${o.rel}: ${overLimit(o, 'a .json file (parsed whole; JSONL streams)')}`); return; }
  let data: unknown;
  try { data = JSON.parse(lenient.decode(read.bytes)); } catch { o.count('invalid_json_files', `${o.rel}: not valid JSON, skipped`); return; }
  const items = Array.isArray(data) ? data : [data];
  for (const [i, obj] of items.entries()) {
    const r = obj && typeof obj === 'object' ? pick(obj as Record<string, unknown>, o.field, o.idField, items.length === 1 ? o.rel : `${o.rel}:${i}`) : undefined;
    if (!r) { o.count('missing_field'); continue; }
    r.meta.source ??= o.rel;
    yield r;
  }
}

/** Options the WARC and Parquet readers share: the document limit and a callback for what goes over it. */
export interface ContainerOptions {
  field?: string;
  /** Largest record/cell kept, in bytes; bigger ones go to `onOversized`. @default Infinity */
  maxBytes?: number;
  /** Told about each skipped oversized record: where in the file (a record id, a row) and its size if known. */
  onOversized?: (where: string, size?: number) => void;
}

/** WARC and Parquet readers live beside this file (optional parsers, imported on demand). */
async function* readContainer(path: string, format: 'warc' | 'parquet', o: ReadOptions): AsyncGenerator<RawRecord> {
  const mod = (await import(format === 'warc' ? './warc.js' : './parquet.js')) as Record<string, (p: string, opts: ContainerOptions) => AsyncGenerator<RawRecord>>;
  const fn = format === 'warc' ? mod.readWarc : mod.readParquet;
  if (!fn) throw new Error(`no ${format} reader`);
  const onOversized = (where: string, size?: number) =>
    o.count('oversized_documents', `${o.rel} ${where}: ${overLimit(o, size === undefined ? 'a document' : `a document of ${formatBytes(size)},`)}`);
  for await (const r of fn(path, { field: o.field, maxBytes: o.maxBytes, onOversized })) {
    r.meta.source ??= o.rel;
    yield r;
  }
}
