import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '../../../src/model/safetensors.js';
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
