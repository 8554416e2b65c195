/**
 * loadModelFolder on Hugging Face GPT-2 folders as people have them: bare and `transformer.`
 * names, attention buffers, F16/BF16, shards, a tied lm_head; and the errors (the file and
 * tensor named) for what it cannot load. The safetensors reader refuses a header length past
 * the end of the file before allocating anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainyardError } from '../../../src/errors/index.js';
import { loadModelFolder } from '../../../src/model/checkpoint.js';
import { readSafetensors } from '../../../src/model/safetensors.js';
import { TINY, gridWeights, writeHfFolder } from '../../helpers/hf-model.js';
import { tempDir } from '../../helpers/stage-tester.js';

const fails = (code: string, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof TrainyardError, String(e));
  assert.equal(e.code, code);
  assert.match(e.message, re);
  return true;
};
const w = gridWeights(TINY, 3);

test('bare names (published gpt2) and transformer. names load to identical weights; buffers and a tied head are ignored', async () => {
  const bare = await tempDir(), prefixed = await tempDir();
  await writeHfFolder(bare, TINY, w, { bare: true, buffers: true, lmHead: true });
  await writeHfFolder(prefixed, TINY, w, {});
  const a = await loadModelFolder(bare), b = await loadModelFolder(prefixed);
  assert.deepEqual(a.config, TINY);
  assert.deepEqual(a.weights, w);
  assert.deepEqual(b.weights, w);
  assert.equal(a.report.renamed, 2 + 12 * 2 + 2);
  assert.deepEqual(a.report.ignored, ['h.0.attn.bias', 'h.0.attn.masked_bias', 'h.1.attn.bias', 'h.1.attn.masked_bias', 'lm_head.weight']);
  assert.deepEqual(a.report.unused, []);
  assert.equal(b.report.renamed, 0);
  assert.deepEqual(b.report.files, ['model.safetensors']);
  assert.equal(a.hfConfig.summary_type, 'cls_index');
});

test('attention buffers are not read, so a BOOL attn.bias (a dtype Trainyard does not read) is fine', async () => {
  const dir = await tempDir();
  await writeHfFolder(dir, TINY, w, { bare: true, buffers: true, bufferDtype: 'BOOL' });
  const r = await loadModelFolder(dir);
  assert.deepEqual(r.weights, w);
  assert.equal(r.report.ignored.length, 4);
  assert.deepEqual(r.report.dtypes, { F32: 28 }); // buffers are not counted: they are not read
});

test('F16 and BF16 weights convert exactly; the report counts the dtype', async () => {
  for (const dtype of ['F16', 'BF16'] as const) {
    const dir = await tempDir();
    await writeHfFolder(dir, TINY, w, { dtype, bare: true });
    const r = await loadModelFolder(dir);
    assert.deepEqual(r.weights, w, dtype);
    assert.deepEqual(r.report.dtypes, { [dtype]: 28 });
  }
});

test('sharded: model.safetensors.index.json and its shards; a missing shard is named', async () => {
  const dir = await tempDir();
  await writeHfFolder(dir, TINY, w, { shards: 3, dtype: 'BF16', buffers: true });
  const r = await loadModelFolder(dir);
  assert.deepEqual(r.weights, w);
  assert.deepEqual(r.report.files, ['model.safetensors.index.json', 'model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors']);
  await rm(join(dir, 'model-00002-of-00003.safetensors'));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors\.index\.json names shard model-00002-of-00003\.safetensors, which cannot be read/));
  await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'wte.weight': '../x.safetensors' } }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /"weight_map" must map tensor names to shard file names in this folder/));
});

test('missing tensor, shape mismatch and untied head name the file and the tensor; no weights names what is there', async () => {
  const dir = await tempDir();
  const lacking = new Map(w);
  await writeHfFolder(dir, { ...TINY, n_layer: 1 }, lacking, { bare: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 8, n_positions: 16, vocab_size: 64 }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors lacks h\.1\.ln_1\.weight/));
  await writeHfFolder(dir, TINY, w, { bare: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 8, n_positions: 32, vocab_size: 64 }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors: wpe\.weight has shape \[16,8\], config\.json says \[32,8\]/));
  const other = w.get('transformer.wte.weight')!.map((x) => x + 1 / 1024);
  await writeHfFolder(dir, TINY, w, { lmHead: other });
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors: lm_head\.weight differs from wte\.weight/));
  await rm(join(dir, 'model.safetensors'));
  await writeFile(join(dir, 'pytorch_model.bin'), 'x');
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /has no model\.safetensors \(nor model\.safetensors\.index\.json\); it has pytorch_model\.bin/));
});

test('a header length larger than the file (2^40) is E_MODEL naming the file, not an allocation', async () => {
  const file = join(await tempDir(), 'model.safetensors');
  const buf = Buffer.alloc(16);
  buf.writeBigUInt64LE(2n ** 40n, 0);
  await writeFile(file, buf);
  await assert.rejects(readSafetensors(file), fails('E_MODEL', new RegExp(`${file.replace(/[.]/g, '\\.')} is not a valid safetensors file: the header claims 1099511627776 bytes but only 8 follow`)));
  await writeFile(file, Buffer.alloc(5));
  await assert.rejects(readSafetensors(file), fails('E_MODEL', /5 bytes is shorter than the 8-byte header length/));
  // Within the file but over safetensors' 100 MB cap (a sparse 200 MB file: nothing is written).
  buf.writeBigUInt64LE(150_000_000n, 0);
  await writeFile(file, buf);
  const fh = await open(file, 'r+');
  await fh.truncate(200_000_000);
  await fh.close();
  await assert.rejects(readSafetensors(file), fails('E_MODEL', /the header claims 150000000 bytes, more than safetensors allows/));
  await assert.rejects(readSafetensors(join(file, '..', 'nope.safetensors')), fails('E_ARTIFACT', /cannot read .*nope\.safetensors/));
});
