/**
 * User-caused failures that used to surface as E_INTERNAL: each is a catalogued code whose
 * message names the file (or split, or placeholder) and whose hint says what to do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainyardError } from '../../../src/errors/index.js';
import { loadModelFolder, saveModelFolder } from '../../../src/model/checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from '../../../src/model/safetensors.js';
import { initParams } from '../../../src/model/gpt.js';
import { readTokens, readTokensMeta } from '../../../src/artifacts/tokens.js';
import { sampleBatch } from '../../../src/train/data.js';
import { Rng } from '../../../src/util/random.js';
import { parseTaskConfig } from '../../../src/eval/task-file.js';
import { render } from '../../../src/eval/template.js';
import { tempDir } from '../../helpers/stage-tester.js';

function fails(code: string, ...patterns: RegExp[]) {
  return (e: unknown) => {
    assert.ok(e instanceof TrainyardError, `not a TrainyardError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const p of patterns) assert.match(`${e.message}\n${e.hint ?? ''}`, p);
    assert.ok(e.hint, 'has a hint');
    return true;
  };
}

test('a split shorter than block_size + 1 names the split, its tokens and block_size', () => {
  assert.throws(() => sampleBatch(new Uint16Array(10), 2, 16, new Rng(1), 'validation'),
    fails('E_ARTIFACT', /split "validation" has 10 tokens; training needs at least block_size \+ 1 = 17/, /Lower block_size \(at most 9 fits\)/));
});

test('token files: missing meta.json, bad JSON, a bad dtype, a missing split, a truncated .bin', async () => {
  const dir = await tempDir();
  await assert.rejects(readTokensMeta(dir), fails('E_ARTIFACT', /meta\.json/));
  await writeFile(join(dir, 'meta.json'), '{ nope');
  await assert.rejects(readTokensMeta(dir), fails('E_ARTIFACT', /meta\.json: not valid JSON/));
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ vocab_size: 5, dtype: 'int8', splits: {} }));
  await assert.rejects(readTokensMeta(dir), fails('E_ARTIFACT', /"dtype" must be "uint16" or "uint32"/));
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ vocab_size: 5, dtype: 'uint16', eot_id: null, splits: { train: 4 }, tokenizer: 't.json' }));
  await assert.rejects(readTokens(dir, 'test'), fails('E_ARTIFACT', /no split "test" \(has: train\)/));
  await assert.rejects(readTokens(dir, 'train'), fails('E_ARTIFACT', /train\.bin/));
  await writeFile(join(dir, 'train.bin'), Buffer.alloc(7));
  await assert.rejects(readTokens(dir, 'train'), fails('E_ARTIFACT', /train\.bin has 7 bytes; meta\.json says 8/));
});

test('model folders: bad config.json fields, a missing tensor, a shape mismatch, missing files', async () => {
  const cfg = { n_layer: 1, n_head: 2, n_embd: 8, block_size: 8, vocab_size: 11, dropout: 0 };
  const dir = await tempDir();
  await saveModelFolder(dir, cfg, initParams(cfg, 1));
  const hf = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ ...hf, n_head: 'two' }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /config\.json: "n_head" must be a number, got "two"/));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ ...hf, n_head: 3 }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /n_embd \(8\) must be a multiple of n_head \(3\)/));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ ...hf, n_embd: 16 }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors: transformer\.wte\.weight has shape \[11,8\], config\.json says \[11,16\]/));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ ...hf, n_layer: 2 }));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors lacks transformer\.h\.1\./));
  await rm(join(dir, 'model.safetensors'));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /model\.safetensors/));
  await rm(join(dir, 'config.json'));
  await assert.rejects(loadModelFolder(dir), fails('E_ARTIFACT', /config\.json/));
});

test('safetensors: header past the end, non-JSON header, offsets outside the data, wrong dtype', () => {
  const good = encodeSafetensors(new Map([['w', { shape: [2], data: new Float32Array([1, 2]) }]]));
  const big = good.slice();
  new DataView(big.buffer).setBigUint64(0, 2n ** 62n, true);
  assert.throws(() => decodeSafetensors(big, 'm.safetensors'), fails('E_MODEL', /m\.safetensors is not a valid safetensors file: the header claims 4611686018427387904 bytes/));
  assert.throws(() => decodeSafetensors(new Uint8Array(3), 'm.safetensors'), fails('E_MODEL', /shorter than the 8-byte header length/));
  const header = (h: object) => {
    const json = Buffer.from(JSON.stringify(h));
    const out = new Uint8Array(8 + json.length + 8);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    return out;
  };
  assert.throws(() => decodeSafetensors(header({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }), 'm'), fails('E_MODEL', /w: data_offsets \[0, 16\] fall outside the 8 data bytes/));
  assert.throws(() => decodeSafetensors(header({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }), 'm'), fails('E_MODEL', /shape \[3\] needs 12 bytes/));
  assert.throws(() => decodeSafetensors(header({ w: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }), 'm'), fails('E_MODEL', /w has dtype I8; Trainyard reads F32, F16, BF16 and F64/));
  assert.throws(() => decodeSafetensors(header({ w: { dtype: 'F16', shape: [3], data_offsets: [0, 8] } }), 'm'), fails('E_MODEL', /shape \[3\] needs 6 bytes, data_offsets give 8/));
  const bad = good.slice();
  bad[8] = 0x7b; bad[9] = 0x7b; // "{{" is not JSON
  assert.throws(() => decodeSafetensors(bad, 'm'), fails('E_MODEL', /the header \(file bytes 8–\d+\) is not JSON/));
});

test('task templates: unclosed and unsupported placeholders at file:line; a missing field names it', () => {
  const yaml = (text: string) => `task: t\ndataset_path: d.jsonl\noutput_type: generate_until\ndoc_to_text: "${text}"\ndoc_to_target: answer\n`;
  assert.throws(() => parseTaskConfig('tasks/t.yaml', yaml('Q: {{ question')), (e: TrainyardError) => {
    fails('E_TASK', /doc_to_text: template placeholder \{\{ question is never closed/)(e);
    assert.equal(e.file, 'tasks/t.yaml');
    assert.equal(e.loc?.line, 4);
    return true;
  });
  assert.throws(() => parseTaskConfig('t.yaml', yaml('{{ question | upper }}')), fails('E_TASK', /is not a field path/));
  assert.throws(() => parseTaskConfig('t.yaml', yaml('{{ }}')), fails('E_TASK', /is empty/));
  assert.doesNotThrow(() => parseTaskConfig('t.yaml', yaml('{{ question.strip() }} {{ choices[0] | trim }} {{a.b}}')));
  assert.throws(() => render('Q: {{ qestion }}', { question: 'Who?' }), fails('E_TASK', /\{\{ qestion \}\}: field "qestion" is not in the document \(has: question\)/));
});

test('trainyard sample on a folder with malformed weights: E_MODEL naming the file, and nothing printed before it', async () => {
  const { sampleCommand } = await import('../../../src/cli/commands/sample.js');
  const dir = await tempDir();
  const cfg = { n_layer: 1, n_head: 1, n_embd: 4, block_size: 4, vocab_size: 5, dropout: 0 };
  await saveModelFolder(dir, cfg, initParams(cfg, 1));
  const file = join(dir, 'model.safetensors');
  const bytes = await readFile(file);
  for (const [what, corrupt] of [
    ['a 2^40 header length', (b: Buffer) => { b.writeBigUInt64LE(2n ** 40n, 0); return b; }],
    ['a short file', (b: Buffer) => b.subarray(0, b.length - 7)],
    ['a tensor moved past the data', (b: Buffer) => Buffer.from(b.toString('latin1').replace('"data_offsets":[0,80]', '"data_offsets":[8,88]'), 'latin1')],
  ] as const) {
    await writeFile(file, corrupt(Buffer.from(bytes)));
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => { written.push(String(s)); return true; }) as typeof process.stdout.write;
    try {
      await assert.rejects(sampleCommand(dir, { prompt: 'Call me', backend: 'cpu' }), fails('E_MODEL', new RegExp(`^${file.replace(/[.]/g, '\\.')} is not a valid safetensors file: `)));
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(written, [], what);
  }
});
