/**
 * config.json checks: a model of another architecture, or a GPT-2 variant our GPT computes
 * differently, is refused with config.json named and the reason given; the variants that
 * compute the same thing are accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainyardError } from '../../../src/errors/index.js';
import { loadModelFolder } from '../../../src/model/checkpoint.js';
import { fromHfConfig, toHfConfig } from '../../../src/model/config.js';
import { TINY, gridWeights, hubConfig, writeHfFolder } from '../../helpers/hf-model.js';
import { tempDir } from '../../helpers/stage-tester.js';

const refused: Array<[Record<string, unknown>, RegExp, RegExp]> = [
  [{ model_type: 'llama' }, /model_type is "llama", not "gpt2"/, /GPT2LMHeadModel/],
  [{ model_type: undefined, architectures: ['LlamaForCausalLM'] }, /no model_type, and architectures \(LlamaForCausalLM\) names no GPT2LMHeadModel/, /GPT-2/],
  [{ activation_function: 'relu' }, /activation_function is "relu"/, /tanh approximation \(gelu_new or gelu_pytorch_tanh\)/],
  [{ n_inner: 64 }, /n_inner is 64, not null or 4·n_embd \(32\)/, /4·n_embd wide/],
  [{ layer_norm_epsilon: 1e-6 }, /layer_norm_epsilon is 0\.000001, not 0\.00001/, /epsilon/],
  [{ scale_attn_by_inverse_layer_idx: true }, /scale_attn_by_inverse_layer_idx is true/, /scales by 1\/sqrt\(head size\) only/],
  [{ reorder_and_upcast_attn: true }, /reorder_and_upcast_attn is true/, /no reorder_and_upcast_attn/],
  [{ tie_word_embeddings: false }, /tie_word_embeddings is false/, /output head is the token embedding/],
  [{ scale_attn_weights: false }, /scale_attn_weights is false/, /always scales/],
];

test('another architecture or an unsupported GPT-2 option: E_ARTIFACT naming config.json, with the reason', async () => {
  const dir = await tempDir();
  await writeHfFolder(dir, TINY, gridWeights(TINY, 1));
  for (const [change, message, hint] of refused) {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...hubConfig(TINY), ...change }));
    await assert.rejects(loadModelFolder(dir), (e: unknown) => {
      assert.ok(e instanceof TrainyardError && e.code === 'E_ARTIFACT', String(e));
      assert.match(e.message, new RegExp(`${join(dir, 'config.json').replace(/[.]/g, '\\.')}: `));
      assert.match(e.message, message);
      assert.match(e.hint ?? '', hint);
      return true;
    }, JSON.stringify(change));
  }
});

test('accepted: our own config, the hub gpt2 config, gelu_pytorch_tanh, n_inner 4·n_embd, architectures without model_type', () => {
  assert.deepEqual(fromHfConfig(toHfConfig(TINY)), TINY);
  assert.deepEqual(fromHfConfig(hubConfig(TINY)), TINY);
  assert.deepEqual(fromHfConfig({ ...hubConfig(TINY), activation_function: 'gelu_pytorch_tanh', n_inner: 32, layer_norm_epsilon: 1.00000001e-5 }), TINY);
  const { model_type: _m, ...untyped } = hubConfig(TINY);
  assert.deepEqual(fromHfConfig({ ...untyped, architectures: ['GPT2Model'] }), TINY);
  assert.deepEqual(fromHfConfig({ ...hubConfig(TINY), activation_function: null, n_inner: null }), TINY);
});
