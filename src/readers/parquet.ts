/**
 * @fileoverview Parquet reader on hyparquet (pure JS) with hyparquet-compressors, so ZSTD (the
 * usual codec of Hugging Face datasets), GZIP, BROTLI, LZ4 and LZ4_RAW read as well as SNAPPY
 * and uncompressed files. Streams row groups; the text column is selectable (`field`, default
 * `text`), other scalar columns go to meta, an `id` column becomes the id. A codec outside
 * that list (LZO) or a file that is not Parquet is E_ARTIFACT naming the file. A text cell over
 * `maxBytes` is skipped; a row group is still decoded whole (hyparquet's unit of reading).
 */
import { open } from 'node:fs/promises';
import type { FileMetaData } from 'hyparquet';
import { errors } from '../errors/index.js';
import type { SourceRecord } from './warc.js';

/** Codecs hyparquet reads by itself; the rest come from hyparquet-compressors. */
const BUILTIN_CODECS = ['UNCOMPRESSED', 'SNAPPY'];

export interface ParquetOptions {
  /** Column holding the text. @default 'text' */
  field?: string;
  /** Column holding the document id, if any. @default 'id' */
  idField?: string;
  /** Largest text cell kept, in UTF-8 bytes; bigger ones go to `onOversized`. @default Infinity */
  maxBytes?: number;
  /** Told about each row skipped for size: `row <n>` and the cell's size. */
  onOversized?: (where: string, size?: number) => void;
}

/** The UTF-8 size of `text` when it may be over `max` (a UTF-16 unit is 1 to 3 bytes), else 0. */
function bytesIfOver(text: string, max: number): number {
  if (text.length * 3 <= max) return 0;
  const size = Buffer.byteLength(text);
  return size > max ? size : 0;
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

/** Throws E_ARTIFACT for the first column chunk whose codec neither hyparquet nor the compressors read. */
function checkCodecs(path: string, metadata: FileMetaData, supported: readonly string[]): void {
  for (const rg of metadata.row_groups) {
    for (const col of rg.columns) {
      const codec = col.meta_data?.codec;
      if (codec && !supported.includes(codec)) throw errors.parquetCodec({ file: path, codec, supported });
    }
  }
}

export async function* readParquet(path: string, opts: ParquetOptions = {}): AsyncGenerator<SourceRecord> {
  const { parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const field = opts.field ?? 'text';
  const idField = opts.idField ?? 'id';
  const maxBytes = opts.maxBytes ?? Infinity;
  const { fh, file } = await fileBuffer(path);
  try {
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (err) {
      throw errors.parquetInvalid({ file: path, reason: err instanceof Error ? err.message : String(err) }, { cause: err });
    }
    checkCodecs(path, metadata, [...BUILTIN_CODECS, ...Object.keys(compressors)]);
    const columns = metadata.schema.slice(1).map((s) => s.name);
    if (!columns.includes(field)) throw errors.parquetColumn({ file: path, field, columns });
    let rowStart = 0;
    for (const rg of metadata.row_groups) {
      const rowEnd = rowStart + Number(rg.num_rows);
      const rows = (await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors })) as Array<Record<string, unknown>>;
      for (const [i, row] of rows.entries()) {
        const text = row[field];
        if (typeof text !== 'string') continue;
        const oversized = bytesIfOver(text, maxBytes);
        if (oversized) { opts.onOversized?.(`row ${rowStart + i}`, oversized); continue; }
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
