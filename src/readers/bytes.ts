/**
 * @fileoverview Bounded, streaming access to a source file's bytes: `.gz` is decompressed as a
 * stream (never whole in memory), a read stops once it passes a byte limit, and lines are split
 * on bytes so that one huge line is skipped in constant memory instead of becoming a string
 * longer than V8 allows. A gzip stream that is truncated or not gzip raises CorruptInputError.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Read size for files; a few of these are all a reader holds. */
const CHUNK = 1 << 20;
/** Size of decompressed chunks: smaller ones leave less garbage between collections (160 vs 200 MB peak on 1 GiB). */
const GUNZIP_CHUNK = 1 << 16;

/** The file is a broken archive (truncated, bad header, bad data); `reason` is zlib's message. */
export class CorruptInputError extends Error {
  override readonly name = 'CorruptInputError';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/** True for the errors zlib raises on bad input (codes Z_DATA_ERROR, Z_BUF_ERROR, …). */
function isZlibError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

export function isGzip(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/** A stream of the file's bytes, gunzipped when the name ends in `.gz`. */
function openStream(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: CHUNK });
  if (!isGzip(path)) return file;
  // pipeline() destroys both streams when either fails or the consumer stops early.
  return pipeline(file, createGunzip({ chunkSize: GUNZIP_CHUNK }), () => {});
}

/**
 * Yields the file's (decompressed) bytes chunk by chunk. Breaking out of the loop closes the
 * file. Throws CorruptInputError when the gzip stream is truncated or corrupt.
 */
export async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const stream = openStream(path);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    if (isZlibError(err)) throw new CorruptInputError(err.message, { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
}

/** What a bounded read found: the bytes, or that the file is over the limit (and how much was seen). */
export type BoundedRead = { bytes: Buffer; oversized?: undefined } | { oversized: true; seen: number };

/**
 * Reads a whole file of at most `maxBytes` (after decompression), stopping as soon as it passes
 * the limit. `stop(head)` is asked once the first 8 KiB are in; returning true stops the read
 * early (a binary probe) and gives just that head as `bytes`.
 */
export async function readBounded(path: string, maxBytes: number, stop?: (head: Buffer) => boolean): Promise<BoundedRead> {
  const parts: Buffer[] = [];
  let size = 0;
  let probed = !stop;
  for await (const chunk of fileChunks(path)) {
    parts.push(chunk);
    size += chunk.length;
    if (!probed && size >= 8192) {
      probed = true;
      const head = Buffer.concat(parts);
      if (stop!(head)) return { bytes: head };
    }
    if (size > maxBytes) return { oversized: true, seen: size };
  }
  return { bytes: Buffer.concat(parts, size) };
}

/** One line of a file: its 1-based number and bytes (without `\n`), or its size when over the limit. */
export type Line = { n: number; bytes: Buffer; oversized?: undefined } | { n: number; oversized: true; size: number };

/**
 * Splits a byte stream on `\n` (safe for UTF-8: 0x0A never occurs inside a multi-byte
 * character). A line longer than `maxBytes` is not kept: its bytes are counted and dropped as
 * they stream past, and it comes out as `{ oversized, size }`. Blank lines are yielded too, so
 * that `n` is the true line number.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  const take = (): Line => {
    n++;
    const line: Line = size > maxBytes ? { n, oversized: true, size } : { n, bytes: Buffer.concat(parts, size) };
    parts = [];
    size = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, start)) {
      add(chunk.subarray(start, i));
      yield take();
      start = i + 1;
    }
    add(chunk.subarray(start));
  }
  if (size > 0) yield take();

  function add(piece: Buffer): void {
    size += piece.length;
    if (size > maxBytes) parts = []; // past the limit: keep counting, stop keeping
    else if (piece.length > 0) parts.push(piece);
  }
}
