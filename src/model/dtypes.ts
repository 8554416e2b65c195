/**
 * @fileoverview Tensor element types of safetensors files and their conversion to float32:
 * F32 as is, F16 (IEEE half: subnormals, ±Inf and NaN kept), BF16 (the top 16 bits of a
 * float32, so exact) and F64 (rounded to the nearest float32). Bytes are little-endian, as
 * safetensors stores them.
 */

/** Bytes per element of each readable dtype. */
export const DTYPE_BYTES = { F32: 4, F16: 2, BF16: 2, F64: 8 } as const;

/** A safetensors dtype Trainyard reads. */
export type Dtype = keyof typeof DTYPE_BYTES;

/** Whether `d` is a dtype Trainyard reads. */
export function isDtype(d: unknown): d is Dtype {
  return typeof d === 'string' && Object.hasOwn(DTYPE_BYTES, d);
}

/** Converts one IEEE 754 half-precision bit pattern to a number (exactly: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes `bytes` (little-endian elements of `dtype`) into a fresh Float32Array. The input may
 * start at any byte offset (safetensors aligns nothing), so it is read through a DataView.
 */
export function toFloat32(bytes: Uint8Array, dtype: Dtype): Float32Array {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  // F32: one copy (Uint8Array's slice copies, Buffer's would not) on a little-endian host.
  if (dtype === 'F32') return new Float32Array(Uint8Array.prototype.slice.call(bytes).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  if (dtype === 'F64') for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
  else if (dtype === 'F16') for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  else {
    const bits = new Uint32Array(out.buffer); // BF16 is the high half of a float32's bits
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  }
  return out;
}
