/**
 * safetensors dtypes: F16 (normals, subnormals, ±0, ±Inf, NaN) and BF16 decode exactly to
 * float32, F64 rounds to the nearest float32, at any byte offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { halfToFloat, toFloat32 } from '../../../src/model/dtypes.js';
import { decodeSafetensors } from '../../../src/model/safetensors.js';
import { encodeValues, rawSafetensors } from '../../helpers/hf-model.js';

const u16 = (...bits: number[]) => new Uint8Array(Uint16Array.from(bits).buffer);

test('F16 bit patterns: 1, -2, 0.5, max 65504, smallest subnormal 2^-24, largest subnormal, -0, ±Inf, NaN', () => {
  const got = Array.from(toFloat32(u16(0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x03ff, 0x8000, 0x7c00, 0xfc00, 0x7e00), 'F16'));
  assert.deepEqual(got.slice(0, 6), [1, -2, 0.5, 65504, 2 ** -24, 1023 * 2 ** -24]);
  assert.ok(Object.is(got[6], -0));
  assert.deepEqual(got.slice(7, 9), [Infinity, -Infinity]);
  assert.ok(Number.isNaN(got[9]));
  assert.equal(halfToFloat(0x3555), 0.333251953125); // 1/3 rounded to half: 1 + 341/1024, × 2^-2
});

test('BF16 is the top half of float32: 1, -2, 3.140625, 1.5e-39-ish subnormal, -Inf', () => {
  const got = Array.from(toFloat32(u16(0x3f80, 0xc000, 0x4049, 0x0010, 0xff80), 'BF16'));
  assert.deepEqual(got, [1, -2, 3.140625, new Float32Array(new Uint32Array([0x0010_0000]).buffer)[0]!, -Infinity]);
});

test('F64 rounds to float32; decoding works at odd byte offsets (safetensors does not align)', () => {
  assert.deepEqual(Array.from(toFloat32(encodeValues([0.1, -3], 'F64'), 'F64')), [Math.fround(0.1), -3]);
  const buf = rawSafetensors([['a', [1], [7]], ['b', [3], [0.5, -1.25, 1024]]], 'F16'); // b starts 2 bytes in
  for (const [dt, values] of [['F16', [0.5, -1.25, 1024]], ['BF16', [0.5, -1.25, 1024]], ['F32', [0.5, -1.25, 1024]]] as const) {
    const { tensors, dtypes } = decodeSafetensors(rawSafetensors([['a', [1], [7]], ['b', [3], values]], dt));
    assert.deepEqual(Array.from(tensors.get('b')!.data), values, dt);
    assert.equal(dtypes.get('b'), dt);
  }
  assert.equal(decodeSafetensors(buf).tensors.get('a')!.data[0], 7);
});
