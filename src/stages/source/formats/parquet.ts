/**
 * @fileoverview Parquet reader on hyparquet (pure JS; snappy built in, other codecs through
 * hyparquet-compressors when installed). Streams row groups; the text column is selectable
 * (`field`, default `text`), other scalar columns go to meta, an `id` column becomes the id.
 */
import { open } from 'node:fs/promises';
import type { SourceRecord } from './warc.js';

export interface ParquetOptions {
  /** Column holding the text. @default 'text' */
  field?: string;
  /** Column holding the document id, if any. @default 'id' */
  idField?: string;
}

function scalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** An AsyncBuffer over a file handle (hyparquet reads footers and column chunks by range). */
async function fileBuffer(path: string) {
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    fh,
    file: {
      byteLength: size,
      async slice(start: number, end?: number): Promise<ArrayBuffer> {
        const len = (end ?? size) - start;
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, start);
        return buf.buffer.slice(buf.byteOffset, buf.byteOffset + len) as ArrayBuffer;
      },
    },
  };
}

export async function* readParquet(path: string, opts: ParquetOptions = {}): AsyncGenerator<SourceRecord> {
  const { parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  const field = opts.field ?? 'text';
  const idField = opts.idField ?? 'id';
  const { fh, file } = await fileBuffer(path);
  try {
    const metadata = await parquetMetadataAsync(file);
    const columns = metadata.schema.slice(1).map((s) => s.name);
    if (!columns.includes(field)) throw new Error(`parquet file ${path} has no column "${field}" (columns: ${columns.join(', ')})`);
    let rowStart = 0;
    for (const rg of metadata.row_groups) {
      const rowEnd = rowStart + Number(rg.num_rows);
      const rows = (await parquetReadObjects({ file, metadata, rowStart, rowEnd })) as Array<Record<string, unknown>>;
      for (const row of rows) {
        const text = row[field];
        if (typeof text !== 'string') continue;
        const meta: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) {
          if (k === field || k === idField) continue;
          if (typeof v === 'bigint') meta[k] = Number(v);
          else if (v instanceof Date) meta[k] = v.toISOString();
          else if (scalar(v)) meta[k] = v;
        }
        const id = row[idField];
        yield id !== undefined && id !== null ? { id: String(id), text, meta } : { text, meta };
      }
      rowStart = rowEnd;
    }
  } finally {
    await fh.close();
  }
}
