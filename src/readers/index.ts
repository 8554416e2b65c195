/**
 * @fileoverview Readers of external data formats (text, Markdown, JSONL, JSON, WARC, Parquet), used by the
 * source stage (datatrove's `pipeline/readers`). Each yields raw records; bad input
 * (binary, invalid UTF-8, empty) is reported through `count`, never thrown.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { readLines } from '../artifacts/documents.js';

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

async function bytesOf(path: string): Promise<Uint8Array> {
  const b = await readFile(path);
  return path.toLowerCase().endsWith('.gz') ? gunzipSync(b) : b;
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

export interface ReadOptions { field: string; idField: string; rel: string; count: (what: string) => void }

export async function* readRecords(path: string, format: Format, o: ReadOptions): AsyncGenerator<RawRecord> {
  if (format === 'text' || format === 'markdown') {
    const d = decode(await bytesOf(path));
    if (d.binary) { o.count('binary_files'); return; }
    if (d.invalid) o.count('invalid_utf8_files');
    yield { id: o.rel, text: d.text!, meta: { source: o.rel, ...(format === 'markdown' ? { format: 'markdown' } : {}) } };
  } else if (format === 'jsonl') {
    const lines = path.toLowerCase().endsWith('.gz')
      ? lenient.decode(await bytesOf(path)).split('\n')
      : readLines(path);
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let obj: unknown;
      try { obj = JSON.parse(line); } catch { o.count('invalid_json_lines'); continue; }
      const r = obj && typeof obj === 'object' ? pick(obj as Record<string, unknown>, o.field, o.idField, `${o.rel}:${n}`) : undefined;
      if (!r) { o.count('missing_field'); continue; }
      r.meta.source ??= o.rel;
      yield r;
    }
  } else if (format === 'json') {
    let data: unknown;
    try { data = JSON.parse(lenient.decode(await bytesOf(path))); } catch { o.count('invalid_json_files'); return; }
    const items = Array.isArray(data) ? data : [data];
    for (const [i, obj] of items.entries()) {
      const r = obj && typeof obj === 'object' ? pick(obj as Record<string, unknown>, o.field, o.idField, items.length === 1 ? o.rel : `${o.rel}:${i}`) : undefined;
      if (!r) { o.count('missing_field'); continue; }
      r.meta.source ??= o.rel;
      yield r;
    }
  } else {
    yield* readContainer(path, format, o);
  }
}

/** WARC and Parquet readers live beside this file (optional parsers, imported on demand). */
async function* readContainer(path: string, format: 'warc' | 'parquet', o: ReadOptions): AsyncGenerator<RawRecord> {
  const mod = (await import(format === 'warc' ? './warc.js' : './parquet.js')) as Record<string, (p: string, opts: { field?: string }) => AsyncGenerator<RawRecord>>;
  const fn = format === 'warc' ? mod.readWarc : mod.readParquet;
  if (!fn) throw new Error(`no ${format} reader`);
  for await (const r of fn(path, { field: o.field })) {
    r.meta.source ??= o.rel;
    yield r;
  }
}
