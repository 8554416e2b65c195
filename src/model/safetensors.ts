/**
 * @fileoverview safetensors read/write (the Hugging Face format): an 8-byte little-endian
 * header length, a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] } }` padded
 * with spaces to 8 bytes, then the raw little-endian tensor bytes. Writing is F32; reading
 * takes F32, F16, BF16 and F64 (see dtypes.ts) and hands back Float32Arrays.
 *
 * Files are read piecewise (header length, header, then each tensor), and the header length
 * is checked against the file size before anything is allocated, so a corrupt or hostile
 * length is an E_ARTIFACT naming the file rather than a huge allocation.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { DTYPE_BYTES, isDtype, toFloat32, type Dtype } from './dtypes.js';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** A read file: tensors as float32, the `__metadata__` strings, and each tensor's stored dtype. */
export interface DecodedSafetensors {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
  dtypes: Map<string, Dtype>;
  /** Names left unread because `skip` said so. */
  skipped: string[];
}

export interface ReadSafetensorsOptions {
  /** Tensors not to read (nor to check the dtype of), e.g. buffers in a dtype we do not read. */
  skip?: (name: string) => boolean;
}

/** safetensors' own cap on the header (100 MB); a longer one is refused, whatever the file size. */
export const MAX_HEADER_BYTES = 100_000_000;

/** One header entry; `begin`/`end` are byte offsets into the data that follows the header. */
interface TensorEntry { name: string; dtype: Dtype; shape: number[]; begin: number; end: number }

/** Serialises tensors (in the given order) with optional string metadata. */
export function encodeSafetensors(tensors: Map<string, NamedTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`safetensors: ${name} has ${t.data.length} values for shape [${t.shape}]`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // ASCII only, so chars = bytes
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/**
 * Parses a safetensors buffer; returns tensors (as float32), metadata and stored dtypes.
 * `file` names the source in errors: a header length past the end of the buffer, a header
 * that is not JSON, an unreadable dtype, tensors whose offsets leave the data or disagree with
 * their shape are E_ARTIFACT (checked before anything is allocated).
 */
export function decodeSafetensors(buf: Uint8Array, file = 'safetensors data', o: ReadSafetensorsOptions = {}): DecodedSafetensors {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = headerLength(buf.byteLength >= 8 ? view.getBigUint64(0, true) : null, buf.byteLength, file);
  const { entries, metadata, skipped } = parseHeader(buf.subarray(8, 8 + n), buf.byteLength - 8 - n, file, o.skip);
  const out: DecodedSafetensors = { tensors: new Map(), metadata, dtypes: new Map(), skipped };
  for (const t of entries) {
    out.tensors.set(t.name, { shape: t.shape, data: toFloat32(buf.subarray(8 + n + t.begin, 8 + n + t.end), t.dtype) });
    out.dtypes.set(t.name, t.dtype);
  }
  return out;
}

/**
 * Reads a safetensors file piecewise (see the file overview). A missing file is E_ARTIFACT
 * (modelFileMissing); a malformed one is E_ARTIFACT naming `path`, as in decodeSafetensors.
 */
export async function readSafetensors(path: string, o: ReadSafetensorsOptions = {}): Promise<DecodedSafetensors> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw errors.modelFileMissing({ file: path }, { cause: err });
  }
  try {
    const size = (await fh.stat()).size;
    const lead = size >= 8 ? await readAt(fh, 0, 8, path) : null;
    const n = headerLength(lead ? new DataView(lead.buffer, lead.byteOffset, 8).getBigUint64(0, true) : null, size, path);
    const { entries, metadata, skipped } = parseHeader(await readAt(fh, 8, n, path), size - 8 - n, path, o.skip);
    const out: DecodedSafetensors = { tensors: new Map(), metadata, dtypes: new Map(), skipped };
    for (const t of entries) {
      out.tensors.set(t.name, { shape: t.shape, data: toFloat32(await readAt(fh, 8 + n + t.begin, t.end - t.begin, path), t.dtype) });
      out.dtypes.set(t.name, t.dtype);
    }
    return out;
  } finally {
    await fh.close();
  }
}

export async function writeSafetensors(path: string, tensors: Map<string, NamedTensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Validates the declared header length against the total size (`declared` null: under 8 bytes). */
function headerLength(declared: bigint | null, totalBytes: number, file: string): number {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem });
  if (declared === null) throw invalid(`${totalBytes} bytes is shorter than the 8-byte header length`);
  if (declared > BigInt(totalBytes - 8)) throw invalid(`the header claims ${declared} bytes but only ${totalBytes - 8} follow`);
  if (declared > BigInt(MAX_HEADER_BYTES)) throw invalid(`the header claims ${declared} bytes, more than safetensors allows (${MAX_HEADER_BYTES})`);
  return Number(declared);
}

/** Parses and checks the JSON header; `dataBytes` is the size of the data after it. */
function parseHeader(
  bytes: Uint8Array, dataBytes: number, file: string, skip?: (name: string) => boolean,
): { entries: TensorEntry[]; metadata: Record<string, string>; skipped: string[] } {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem });
  let header: Record<string, any>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Record<string, any>;
  } catch {
    throw invalid('the header is not JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw invalid('the header is not a JSON object');
  const entries: TensorEntry[] = [];
  const skipped: string[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (skip?.(name)) { skipped.push(name); continue; }
    if (!isDtype(info?.dtype)) throw errors.safetensorsDtype({ file, tensor: name, dtype: String(info?.dtype) });
    const problem = tensorProblem(info, DTYPE_BYTES[info.dtype as Dtype], dataBytes);
    if (problem) throw invalid(`${name}: ${problem}`);
    const [begin, end] = info.data_offsets as [number, number];
    entries.push({ name, dtype: info.dtype as Dtype, shape: info.shape as number[], begin, end });
  }
  return { entries, metadata: (header.__metadata__ ?? {}) as Record<string, string>, skipped };
}

/** What is wrong with one tensor's header entry (shape, offsets inside `dataBytes`), or null. */
function tensorProblem(info: { shape?: unknown; data_offsets?: unknown }, elementBytes: number, dataBytes: number): string | null {
  const { shape, data_offsets: off } = info;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return 'shape is not a list of sizes';
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o))) return 'data_offsets is not [begin, end]';
  const [b, e] = off as [number, number];
  if (b < 0 || e < b || e > dataBytes) return `data_offsets [${b}, ${e}] fall outside the ${dataBytes} data bytes`;
  const expected = (shape as number[]).reduce((a, d) => a * d, 1) * elementBytes;
  if (e - b !== expected) return `shape [${shape.join(',')}] needs ${expected} bytes, data_offsets give ${e - b}`;
  return null;
}

/** Reads exactly `length` bytes at `position` (the caller checked they exist; a file that shrank meanwhile is E_ARTIFACT). */
async function readAt(fh: FileHandle, position: number, length: number, file: string): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  if (got < length) throw errors.safetensorsInvalid({ file, problem: `the file ended after ${position + got} bytes while reading` });
  return buf;
}
