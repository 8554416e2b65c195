/**
 * The `model` stage: imports a Hugging Face GPT-2 folder (bare names, F16, buffers, companion
 * files) into our layout, which loadModel reads, and whose logits equal those of the same
 * weights saved by our writer. Its cache deps are the files it reads; a missing folder is
 * E_FILE_NOT_FOUND naming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import { loadModel } from '../../../src/model/load.js';
import { decodeSafetensors } from '../../../src/model/safetensors.js';
import stage from '../../../src/stages/model/index.js';
import { charTokenizer, trainBpe } from '../../../src/tokenizer/index.js';
import { TINY, gridWeights, writeHfFolder } from '../../helpers/hf-model.js';
import { runStage, tempDir } from '../../helpers/stage-tester.js';

const tok = charTokenizer(['Call me Ishmael. Some years ago, never mind how long precisely.']);
const w = gridWeights(TINY, 7);
const TOKENIZER_CONFIG = JSON.stringify({ eos_token: '<|endoftext|>', chat_template: '{{ messages }}' });

async function hfProject(): Promise<{ cwd: string; src: string }> {
  const cwd = await tempDir();
  const src = join(cwd, 'models', 'tiny-gpt2');
  await writeHfFolder(src, TINY, w, {
    dtype: 'F16', bare: true, buffers: true, lmHead: true, tokenizer: tok.toJSON(),
    files: { 'tokenizer_config.json': TOKENIZER_CONFIG, 'generation_config.json': '{"max_length": 50}', 'README.md': '# tiny' },
  });
  return { cwd, src };
}

test('imports an HF folder into our layout (F32, transformer. names, companions kept) and logs what it found', async () => {
  const { cwd, src } = await hfProject();
  const res = await runStage(stage, { cwd, options: { path: './models/tiny-gpt2' } });
  const out = res.outputs.model!;
  const { tensors, dtypes } = decodeSafetensors(await readFile(join(out, 'model.safetensors')));
  assert.equal(tensors.size, 28);
  assert.ok([...tensors.keys()].every((n) => n.startsWith('transformer.')));
  assert.ok([...dtypes.values()].every((d) => d === 'F32'));
  assert.deepEqual(tensors.get('transformer.h.1.mlp.c_fc.weight')!.data, w.get('transformer.h.1.mlp.c_fc.weight'));
  const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
  assert.equal(config.eos_token_id, TINY.vocab_size - 1);
  assert.equal(config.tie_word_embeddings, true);
  assert.equal(await readFile(join(out, 'tokenizer_config.json'), 'utf8'), TOKENIZER_CONFIG);
  assert.equal(await readFile(join(out, 'generation_config.json'), 'utf8'), '{"max_length": 50}');
  assert.equal(await readFile(join(out, 'tokenizer.json'), 'utf8'), await readFile(join(src, 'tokenizer.json'), 'utf8'));
  const logs = res.logs.join('\n');
  assert.match(logs, /loaded models\/tiny-gpt2: GPT-2 2\.\dk params \(2 layers, 2 heads, n_embd 8, context 16, vocab 64\)/);
  assert.match(logs, /weights: model\.safetensors \(F16 ×29; stored as F32\)/);
  assert.match(logs, /renamed 28 tensors/);
  assert.match(logs, /ignored 5 buffers\/tied tensors: h\.0\.attn\.bias, h\.0\.attn\.masked_bias, h\.1\.attn\.bias, h\.1\.attn\.masked_bias, …/);
  assert.match(logs, /kept tokenizer_config\.json, generation_config\.json/);
  assert.equal(res.stats.params, [...w.values()].reduce((a, x) => a + x.length, 0));
  assert.equal(res.stats.dtypes, 'F16 ×29');
});

test('the imported model gives the same logits as the same weights saved by our writer', async () => {
  await setupBackend('cpu');
  const { cwd } = await hfProject();
  const res = await runStage(stage, { cwd, options: { path: 'models/tiny-gpt2' } });
  const ours = await tempDir(), tokFile = join(await tempDir(), 'tokenizer.json');
  await writeFile(tokFile, JSON.stringify(tok.toJSON()));
  await saveModelFolder(ours, TINY, w, { tokenizerPath: tokFile });
  const a = await loadModel(res.outputs.model!), b = await loadModel(ours);
  const prompt = a.tokenizer.encode('Call me Ishmael.');
  const ids = tf.tensor2d(Int32Array.from(prompt), [1, prompt.length], 'int32');
  const [la, lb] = [a.model.forward(ids), b.model.forward(ids)];
  assert.deepEqual(la.dataSync(), lb.dataSync());
  assert.ok(la.dataSync().some((x) => x !== 0));
  tf.dispose([ids, la, lb]);
  a.model.dispose();
  b.model.dispose();
});

test('a folder with vocab.json + merges.txt gets a converted tokenizer.json; a tokenizer larger than the model is refused', async () => {
  const text = 'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse.';
  const bpe = await trainBpe([text], { vocabSize: 300 });
  const model = (bpe.toJSON() as { model: { vocab: Record<string, number>; merges: string[] } }).model;
  const cfg = { ...TINY, vocab_size: 300 };
  const cwd = await tempDir(), src = join(cwd, 'old-gpt2');
  await writeHfFolder(src, cfg, gridWeights(cfg, 1), { files: { 'vocab.json': JSON.stringify(model.vocab), 'merges.txt': `#version: 0.2\n${model.merges.join('\n')}\n` } });
  assert.deepEqual((await stage.externalDeps!({ path: 'old-gpt2' }, { cwd })).map((f) => f.slice(src.length + 1)), ['config.json', 'merges.txt', 'model.safetensors', 'vocab.json']);
  const res = await runStage(stage, { cwd, options: { path: 'old-gpt2' } });
  assert.match(res.logs.join('\n'), /tokenizer: vocab\.json \+ merges\.txt/);
  const loaded = await loadModel(res.outputs.model!);
  assert.deepEqual(loaded.tokenizer.encode(text), bpe.encode(text));
  loaded.model.dispose();
  const small = { ...cfg, vocab_size: bpe.vocabSize - 1 };
  await writeHfFolder(src, small, gridWeights(small, 1));
  await assert.rejects(runStage(stage, { cwd, options: { path: 'old-gpt2' } }), new RegExp(`the model's tokenizer has ${bpe.vocabSize} ids but the model only ${small.vocab_size}`));
});

test('cache deps are the files the import reads; a missing folder is E_FILE_NOT_FOUND naming it', async () => {
  const { cwd, src } = await hfProject();
  const deps = await stage.externalDeps!({ path: 'models/tiny-gpt2' }, { cwd });
  assert.deepEqual(deps, ['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].map((f) => join(src, f)));
  await assert.rejects(async () => stage.externalDeps!({ path: 'models/nope' }, { cwd }), (e: unknown) => {
    assert.ok(e instanceof TrainyardError && e.code === 'E_FILE_NOT_FOUND', String(e));
    assert.match(e.message, new RegExp(`model folder ${join(cwd, 'models/nope')} does not exist`));
    assert.match(e.hint ?? '', /relative to the pipeline file/);
    return true;
  });
  await assert.rejects(runStage(stage, { cwd, options: { path: 'models/tiny-gpt2/config.json' } }), /is not a folder/);
});
