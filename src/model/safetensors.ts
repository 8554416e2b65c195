/**
 * @fileoverview safetensors read/write (the Hugging Face format): an 8-byte little-endian
 * header length, a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] } }` padded
 * with spaces to 8 bytes, then the raw little-endian tensor bytes. Writing is F32; reading
 * takes F32, F16, BF16 and F64 (see dtypes.ts) and hands back Float32Arrays.
 *
 * Files are read piecewise (header length, header, then each tensor), and the whole header is
 * checked (safetensors-header.ts: length against the file size, offsets against each other,
 * shapes against byte counts, dtypes) before any tensor is allocated, so a corrupt or hostile
 * file is an E_MODEL naming the file rather than a huge allocation or a raw JSON error.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { toFloat32, type Dtype } from './dtypes.js';
import { headerLength, parseHeader } from './safetensors-header.js';

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

export { MAX_HEADER_BYTES } from './safetensors-header.js';

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
 * `file` names the source in errors: a malformed header (see safetensors-header.ts) is E_MODEL,
 * checked before anything is allocated.
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
 * (modelFileMissing); a malformed one is E_MODEL naming `path`, as in decodeSafetensors.
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

/** Reads exactly `length` bytes at `position` (the caller checked they exist; a file that shrank meanwhile is E_MODEL). */
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
