/**
 * @fileoverview safetensors read/write (the Hugging Face format): an 8-byte little-endian
 * header length, a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] } }` padded
 * with spaces to 8 bytes, then the raw little-endian tensor bytes. Only F32 is needed here.
 */
import { readFile } from 'node:fs/promises';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

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
 * Parses a safetensors buffer (F32 tensors only); returns tensors and metadata. `file` names
 * the source in errors: a header length past the end of the buffer, a header that is not
 * JSON, tensors whose offsets leave the data or disagree with their shape are E_ARTIFACT
 * (checked before anything is allocated).
 */
export function decodeSafetensors(buf: Uint8Array, file = 'safetensors data'): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const invalid = (problem: string) => errors.safetensorsInvalid({ file, problem });
  if (buf.byteLength < 8) throw invalid(`${buf.byteLength} bytes is shorter than the 8-byte header length`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(buf.byteLength - 8)) throw invalid(`the header claims ${declared} bytes but only ${buf.byteLength - 8} follow`);
  const n = Number(declared);
  let header: Record<string, any>;
  try {
    header = JSON.parse(Buffer.from(buf.subarray(8, 8 + n)).toString('utf8')) as Record<string, any>;
  } catch {
    throw invalid('the header is not JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw invalid('the header is not a JSON object');
  const base = 8 + n;
  const tensors = new Map<string, NamedTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (info?.dtype !== 'F32') throw errors.safetensorsDtype({ file, tensor: name, dtype: String(info?.dtype) });
    const problem = tensorProblem(info, buf.byteLength - base);
    if (problem) throw invalid(`${name}: ${problem}`);
    const [b, e] = info.data_offsets as [number, number];
    // Copy out (the slice may not be 4-byte aligned). Uint8Array's slice copies; Buffer's would not.
    const data = new Float32Array(Uint8Array.prototype.slice.call(buf, base + b, base + e).buffer);
    tensors.set(name, { shape: info.shape as number[], data });
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as Record<string, string> };
}

/** What is wrong with one tensor's header entry (shape, offsets inside `dataBytes`), or null. */
function tensorProblem(info: { shape?: unknown; data_offsets?: unknown }, dataBytes: number): string | null {
  const { shape, data_offsets: off } = info;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return 'shape is not a list of sizes';
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o))) return 'data_offsets is not [begin, end]';
  const [b, e] = off as [number, number];
  if (b < 0 || e < b || e > dataBytes) return `data_offsets [${b}, ${e}] fall outside the ${dataBytes} data bytes`;
  const expected = (shape as number[]).reduce((a, d) => a * d, 1) * 4;
  if (e - b !== expected) return `shape [${shape.join(',')}] needs ${expected} bytes, data_offsets give ${e - b}`;
  return null;
}

export async function writeSafetensors(path: string, tensors: Map<string, NamedTensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export async function readSafetensors(path: string): Promise<{ tensors: Map<string, NamedTensor>; metadata: Record<string, string> }> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw errors.modelFileMissing({ file: path }, { cause: err });
  }
  return decodeSafetensors(buf, path);
}
