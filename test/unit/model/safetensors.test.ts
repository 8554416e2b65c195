import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainyardError } from '../../../src/errors/index.js';
import { decodeSafetensors, encodeSafetensors, readSafetensors } from '../../../src/model/safetensors.js';
import { loadModelFolder, saveModelFolder } from '../../../src/model/checkpoint.js';
import { initParams } from '../../../src/model/gpt.js';
import { tempDir } from '../../helpers/stage-tester.js';

test('safetensors: 8-byte LE header length, aligned JSON header, raw LE data; round-trips', () => {
  const t = new Map([
    ['a', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    ['b', { shape: [1], data: Float32Array.from([-0.5]) }],
  ]);
  const buf = encodeSafetensors(t);
  const n = Number(new DataView(buf.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  const header = JSON.parse(Buffer.from(buf.subarray(8, 8 + n)).toString());
  assert.deepEqual(header.a, { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
  assert.deepEqual(header.b, { dtype: 'F32', shape: [1], data_offsets: [24, 28] });
  assert.equal(header.__metadata__.format, 'pt');
  assert.equal(buf.length, 8 + n + 28);
  assert.equal(new DataView(buf.buffer).getFloat32(8 + n + 24, true), -0.5);
  const back = decodeSafetensors(buf).tensors;
  assert.deepEqual(Array.from(back.get('a')!.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(back.get('b')!.shape, [1]);
});

test('model folder: HF GPT-2 names, Conv1D [in, out] shapes, tied lm_head absent, config.json', async () => {
  const cfg = { n_layer: 2, n_head: 2, n_embd: 8, block_size: 16, vocab_size: 11, dropout: 0 };
  const w = initParams(cfg, 1);
  const dir = await tempDir();
  await saveModelFolder(dir, cfg, w, { eosId: 0 });
  const { tensors } = decodeSafetensors(await readFile(join(dir, 'model.safetensors')));
  assert.deepEqual(tensors.get('transformer.wte.weight')!.shape, [11, 8]);
  assert.deepEqual(tensors.get('transformer.wpe.weight')!.shape, [16, 8]);
  assert.deepEqual(tensors.get('transformer.h.1.attn.c_attn.weight')!.shape, [8, 24]);
  assert.deepEqual(tensors.get('transformer.h.0.mlp.c_fc.weight')!.shape, [8, 32]);
  assert.deepEqual(tensors.get('transformer.h.0.mlp.c_proj.weight')!.shape, [32, 8]);
  assert.deepEqual(tensors.get('transformer.ln_f.bias')!.shape, [8]);
  assert.equal(tensors.has('lm_head.weight'), false);
  assert.equal(tensors.size, 2 + 12 * 2 + 2);
  const hf = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  assert.equal(hf.model_type, 'gpt2');
  assert.equal(hf.activation_function, 'gelu_new');
  assert.equal(hf.layer_norm_epsilon, 1e-5);
  assert.equal(hf.n_positions, 16);
  assert.equal(hf.tie_word_embeddings, true);
  const back = await loadModelFolder(dir);
  assert.deepEqual(back.config, cfg);
  assert.deepEqual(back.weights.get('transformer.h.1.attn.c_proj.weight'), w.get('transformer.h.1.attn.c_proj.weight'));
});

test('GPT-2 init: std 0.02, residual projections 0.02/sqrt(2·n_layer), LN gains 1, biases 0', () => {
  const cfg = { n_layer: 8, n_head: 4, n_embd: 64, block_size: 32, vocab_size: 500, dropout: 0 };
  const w = initParams(cfg, 5);
  const std = (a: Float32Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
  assert.ok(Math.abs(std(w.get('transformer.wte.weight')!) - 0.02) < 0.001);
  assert.ok(Math.abs(std(w.get('transformer.h.3.mlp.c_proj.weight')!) - 0.02 / 4) < 0.0003);
  assert.ok(w.get('transformer.h.0.ln_1.weight')!.every((x) => x === 1));
  assert.ok(w.get('transformer.h.0.attn.c_attn.bias')!.every((x) => x === 0));
  assert.deepEqual(initParams(cfg, 5).get('transformer.wpe.weight'), w.get('transformer.wpe.weight'));
});

/** A file of `header` (JSON, as given) followed by `data` zero bytes. */
function withHeader(header: unknown, data: number): Uint8Array {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const f32 = (shape: number[], data_offsets: number[]) => ({ dtype: 'F32', shape, data_offsets });

/** Malformed files: each is E_MODEL naming the file, with what is wrong and where. */
const MALFORMED: Array<[string, Uint8Array, RegExp]> = [
  ['a header length of 2^40', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 1n << 40n, true); return b; })(),
    /the header claims 1099511627776 bytes but only 8 follow/],
  ['a file shorter than the length field', new Uint8Array(5), /5 bytes is shorter than the 8-byte header length/],
  ['a header that is not JSON', withHeader('{"a": ', 0), /the header \(file bytes 8–14\) is not JSON/],
  ['a header that is a list', withHeader([1, 2], 0), /the header is not a JSON object/],
  ['an entry that is not an object', withHeader({ w: 5 }, 0), /w: the entry is not an object/],
  ['metadata that is not strings', withHeader({ __metadata__: { format: 1 } }, 0), /__metadata__ must map names to strings/],
  ['an unknown dtype', withHeader({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, 1), /: w has dtype Q4; Trainyard reads F32, F16, BF16 and F64/],
  ['offsets past the data (a truncated file)', withHeader({ w: f32([4], [0, 16]) }, 8), /w: data_offsets \[0, 16\] fall outside the 8 data bytes/],
  ['offsets that end before they begin', withHeader({ w: f32([0], [8, 0]) }, 8), /w: data_offsets \[8, 0\] end before they begin/],
  ['two tensors that overlap', withHeader({ a: f32([2], [0, 8]), b: f32([2], [4, 12]) }, 12), /a \[0, 8\] and b \[4, 12\] overlap \(file bytes \d+–\d+\)/],
  ['a gap between tensors', withHeader({ a: f32([1], [0, 4]), b: f32([1], [8, 12]) }, 12), /4 bytes between a and b \(file bytes \d+–\d+\) belong to no tensor/],
  ['data before the first tensor', withHeader({ a: f32([1], [4, 8]) }, 8), /4 bytes before a \(file bytes \d+–\d+\) belong to no tensor/],
  ['bytes after the last tensor', withHeader({ a: f32([1], [0, 4]) }, 12), /8 bytes after a \(file bytes \d+–\d+\) belong to no tensor/],
  ['a shape that disagrees with the bytes', withHeader({ w: f32([3], [0, 8]) }, 8), /w: shape \[3\] needs 12 bytes, data_offsets give 8/],
  ['a shape whose product overflows', withHeader({ w: f32([2 ** 40, 2 ** 40, 2 ** 40], [0, 8]) }, 8), /w: shape \[1099511627776,1099511627776,1099511627776\] has more elements than a file can hold/],
  ['a dimension that is not a safe integer', withHeader({ w: f32([1e300], [0, 8]) }, 8), /w: shape is not a list of sizes/],
  ['a negative dimension', withHeader({ w: f32([-2], [0, 8]) }, 8), /w: shape is not a list of sizes/],
];

for (const [what, bytes, re] of MALFORMED) {
  test(`malformed safetensors, ${what}: E_MODEL naming the file`, async () => {
    const check = (file: string) => (e: unknown) => {
      assert.ok(e instanceof TrainyardError, String(e));
      assert.equal(e.code, 'E_MODEL', e.message);
      assert.ok(e.message.startsWith(file), e.message);
      assert.match(e.message, re);
      assert.ok(e.hint, 'a hint');
      return true;
    };
    assert.throws(() => decodeSafetensors(bytes, 'm.safetensors'), check('m.safetensors'));
    const file = join(await tempDir(), 'model.safetensors');
    await writeFile(file, bytes);
    await assert.rejects(readSafetensors(file), check(file));
  });
}

test('skipped tensors still take part in the offset checks; zero-size tensors are fine', () => {
  const ok = withHeader({ a: f32([0], [0, 0]), m: { dtype: 'BOOL', shape: [4], data_offsets: [0, 4] }, b: f32([1], [4, 8]) }, 8);
  const res = decodeSafetensors(ok, 'm', { skip: (n) => n === 'm' });
  assert.deepEqual([...res.tensors.keys()].sort(), ['a', 'b']);
  assert.deepEqual(res.skipped, ['m']);
  const gap = withHeader({ m: { dtype: 'BOOL', shape: [4], data_offsets: [0, 4] }, b: f32([1], [8, 12]) }, 12);
  assert.throws(() => decodeSafetensors(gap, 'm', { skip: (n) => n === 'm' }), (e: TrainyardError) => e.code === 'E_MODEL' && /4 bytes between m and b/.test(e.message));
});
