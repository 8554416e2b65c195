/**
 * @fileoverview Validation of a safetensors header (the format: see safetensors.ts) before any
 * tensor is read or allocated. Every check names the file and, where it helps, the byte range:
 *
 *   [0, 8)          header length n (little-endian u64): within the file and under 100 MB
 *   [8, 8 + n)      JSON object { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__ }
 *   [8 + n, size)   data: the tensors' [begin, end) ranges, relative to 8 + n, tile it exactly
 *                   (no overlap, no gap, nothing before the first or after the last)
 *
 * Each shape must be a list of safe integers whose byte count (elements × dtype size) is what
 * its offsets span, and stays a safe integer. A malformed file is E_MODEL (safetensorsInvalid).
 */
import { errors } from '../errors/index.js';
import { DTYPE_BYTES, isDtype, type Dtype } from './dtypes.js';

/** safetensors' own cap on the header (100 MB); a longer one is refused, whatever the file size. */
export const MAX_HEADER_BYTES = 100_000_000;

/** One header entry to read; `begin`/`end` are byte offsets into the data that follows the header. */
export interface TensorEntry { name: string; dtype: Dtype; shape: number[]; begin: number; end: number }

/** The checked header: entries to read, metadata, and the names left unread because `skip` said so. */
export interface ParsedHeader { entries: TensorEntry[]; metadata: Record<string, string>; skipped: string[] }

/** Validates the declared header length against the total size (`declared` null: under 8 bytes). */
export function headerLength(declared: bigint | null, totalBytes: number, file: string): number {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem });
  if (declared === null) throw invalid(`${totalBytes} bytes is shorter than the 8-byte header length`);
  if (declared > BigInt(totalBytes - 8)) throw invalid(`the header claims ${declared} bytes but only ${totalBytes - 8} follow`);
  if (declared > BigInt(MAX_HEADER_BYTES)) throw invalid(`the header claims ${declared} bytes, more than safetensors allows (${MAX_HEADER_BYTES})`);
  return Number(declared);
}

/** A tensor's byte range in the data, named for the layout check. */
interface Span { name: string; begin: number; end: number }

/**
 * Parses and checks the JSON header (`bytes`, the n bytes after the length field); `dataBytes`
 * is the size of the data after it. Skipped tensors are not dtype- or shape-checked (they may
 * be BOOL/U8 buffers), but their offsets take part in the layout check.
 */
export function parseHeader(bytes: Uint8Array, dataBytes: number, file: string, skip?: (name: string) => boolean): ParsedHeader {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem });
  const header = parseJson(bytes, file);
  const entries: TensorEntry[] = [];
  const skipped: string[] = [];
  const spans: Span[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (!info || typeof info !== 'object' || Array.isArray(info)) throw invalid(`${name}: the entry is not an object`);
    const span = offsetsOf(name, (info as { data_offsets?: unknown }).data_offsets, dataBytes, file);
    spans.push(span);
    if (skip?.(name)) { skipped.push(name); continue; }
    const { dtype, shape } = info as { dtype?: unknown; shape?: unknown };
    if (!isDtype(dtype)) throw errors.safetensorsDtype({ file, tensor: name, dtype: String(dtype) });
    const problem = shapeProblem(shape, DTYPE_BYTES[dtype], span.end - span.begin);
    if (problem) throw invalid(`${name}: ${problem}`);
    entries.push({ name, dtype, shape: shape as number[], begin: span.begin, end: span.end });
  }
  checkLayout(spans, dataBytes, 8 + bytes.byteLength, file);
  return { entries, metadata: metadataOf(header.__metadata__, file), skipped };
}

/** The header as a JSON object (E_MODEL when it is not JSON, or not an object). */
function parseJson(bytes: Uint8Array, file: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (cause) {
    throw errors.safetensorsInvalid({ file, problem: `the header (file bytes 8–${8 + bytes.byteLength}) is not JSON` }, { cause });
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw errors.safetensorsInvalid({ file, problem: 'the header is not a JSON object' });
  return header as Record<string, unknown>;
}

/** `__metadata__`: absent, or an object of strings. */
function metadataOf(meta: unknown, file: string): Record<string, string> {
  if (meta === undefined) return {};
  const ok = meta !== null && typeof meta === 'object' && !Array.isArray(meta) && Object.values(meta).every((v) => typeof v === 'string');
  if (!ok) throw errors.safetensorsInvalid({ file, problem: '__metadata__ must map names to strings' });
  return meta as Record<string, string>;
}

/** A tensor's `data_offsets`, checked to be a [begin, end] range inside the data. */
function offsetsOf(name: string, off: unknown, dataBytes: number, file: string): Span {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem: `${name}: ${problem}` });
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0)) throw invalid('data_offsets is not [begin, end]');
  const [begin, end] = off as [number, number];
  if (end < begin) throw invalid(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataBytes) throw invalid(`data_offsets [${begin}, ${end}] fall outside the ${dataBytes} data bytes`);
  return { name, begin, end };
}

/** What is wrong with a shape for `spanBytes` bytes of `elementBytes`-byte elements, or null. */
function shapeProblem(shape: unknown, elementBytes: number, spanBytes: number): string | null {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return 'shape is not a list of sizes';
  let bytes = elementBytes;
  for (const d of shape as number[]) bytes *= d; // a 0 dimension makes it 0 for good
  if (!Number.isSafeInteger(bytes)) return `shape [${shape.join(',')}] has more elements than a file can hold`;
  if (bytes !== spanBytes) return `shape [${shape.join(',')}] needs ${bytes} bytes, data_offsets give ${spanBytes}`;
  return null;
}

/**
 * The tensors must tile the data exactly, as safetensors requires (in any header order):
 * sorted by offset, each begins where the previous ends, the first at 0, the last at the end.
 * `base` is the file offset of the data, for the byte ranges in messages.
 */
function checkLayout(spans: Span[], dataBytes: number, base: number, file: string): void {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem });
  const at = (a: number, b: number) => `(file bytes ${base + a}–${base + b})`;
  const sorted = [...spans].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let prev: Span | null = null;
  for (const s of sorted) {
    const from = prev?.end ?? 0;
    if (s.begin < from) throw invalid(`${prev!.name} [${prev!.begin}, ${prev!.end}] and ${s.name} [${s.begin}, ${s.end}] overlap ${at(s.begin, from)}`);
    if (s.begin > from) {
      const where = prev ? `between ${prev.name} and ${s.name}` : `before ${s.name}`;
      throw invalid(`${s.begin - from} bytes ${where} ${at(from, s.begin)} belong to no tensor`);
    }
    prev = s;
  }
  const end = prev?.end ?? 0;
  if (end < dataBytes) throw invalid(`${dataBytes - end} bytes after ${prev ? prev.name : 'the header'} ${at(end, dataBytes)} belong to no tensor`);
}
