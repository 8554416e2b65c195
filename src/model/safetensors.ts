/**
 * @fileoverview safetensors read/write (the Hugging Face format): an 8-byte little-endian
 * header length, a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] } }` padded
 * with spaces to 8 bytes, then the raw little-endian tensor bytes. Only F32 is needed here.
 */
import { readFile } from 'node:fs/promises';
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

/** Parses a safetensors buffer (F32 tensors only); returns tensors and metadata. */
export function decodeSafetensors(buf: Uint8Array): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(buf.subarray(8, 8 + n)).toString('utf8')) as Record<string, any>;
  const base = 8 + n;
  const tensors = new Map<string, NamedTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (info.dtype !== 'F32') throw new Error(`safetensors: ${name} has dtype ${info.dtype}; only F32 is supported`);
    const [b, e] = info.data_offsets as [number, number];
    // Copy out (the slice may not be 4-byte aligned). Uint8Array's slice copies; Buffer's would not.
    const data = new Float32Array(Uint8Array.prototype.slice.call(buf, base + b, base + e).buffer);
    tensors.set(name, { shape: info.shape as number[], data });
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as Record<string, string> };
}

export async function writeSafetensors(path: string, tensors: Map<string, NamedTensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export async function readSafetensors(path: string): Promise<{ tensors: Map<string, NamedTensor>; metadata: Record<string, string> }> {
  return decodeSafetensors(await readFile(path));
}
