/**
 * The pretrain stage end to end on real text (Moby Dick, char-level): loss goes down, the
 * model folder is written, and resume is exact (same losses as an uninterrupted run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import stage from '../../../src/stages/pretrain/index.js';
import { runStage, tempDir, type RunStageResult, abortAtStep, stepLosses, finalMetrics } from '../../helpers/stage-tester.js';
import { charTokensFixture, mobyDick } from '../train/fixtures.js';
import { TrainyardError } from '../../../src/errors/index.js';

const fx = charTokensFixture(mobyDick(1, 4));
const tiny = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, batch_size: 4, dropout: 0.1, warmup_steps: 2, lr: 3e-3, lr_decay_steps: 16, eval_interval: 4, eval_iters: 2, sample_interval: 0, checkpoint_interval: 4 };

const losses = stepLosses;


test('pretrain trains on Moby Dick: loss falls, metrics and a HF model folder come out', async () => {
  const { dir } = await fx;
  const res = await runStage(stage, {
    backend: 'wasm', inputs: { tokens: dir },
    options: { n_layer: 2, n_head: 2, n_embd: 32, block_size: 32, batch_size: 8, steps: 80, warmup_steps: 10, lr: 5e-3, eval_interval: 40, eval_iters: 4, sample_interval: 80, sample_tokens: 30 },
  });
  const l = [...losses(res).values()];
  assert.equal(l.length, 80);
  const head = l.slice(0, 5).reduce((a, b) => a + b) / 5;
  const tail = l.slice(-10).reduce((a, b) => a + b) / 10;
  assert.ok(head > 4 && tail < head - 0.9 && tail < 3.3, `loss ${head.toFixed(3)} → ${tail.toFixed(3)}`);
  for (const name of ['lr', 'grad_norm', 'tokens_per_s']) assert.equal(res.metrics.filter((m) => m.name === name && m.step !== undefined).length, 80);
  assert.equal(res.metrics.filter((m) => m.name === 'val_loss' && m.step !== undefined).length, 2);
  const final = Object.fromEntries(res.metrics.filter((m) => m.step === undefined).map((m) => [m.name, m.value]));
  assert.ok(final.val_loss! < 3.2 && final.train_loss! < 3.2 && final.tokens_per_s! > 0, JSON.stringify(final));
  assert.deepEqual((await readdir(res.outputs.model!)).sort(), ['config.json', 'model.safetensors', 'tokenizer.json']);
  assert.ok(res.logs.some((x) => x.startsWith('info: sample at step 80: ')));
});

test('resume is exact: abort at step 7 (checkpoint on abort) and a kill after step 4 give the same losses', async () => {
  const { dir } = await fx;
  const run = (root: string, steps: number, signal?: AbortSignal) =>
    runStage(stage, { backend: 'cpu', root, signal, inputs: { tokens: dir }, options: { ...tiny, steps } });
  const full = losses(await run(await tempDir(), 12));

  const rootB = await tempDir();
  await assert.rejects(run(rootB, 12, abortAtStep(7)), (e: TrainyardError) => e.code === 'E_ABORTED' && /step 7/.test(e.message));
  assert.ok(existsSync(join(rootB, 'checkpoint', 'step-00000007', 'trainer_state.json')));
  const resumed = await run(rootB, 12);
  assert.ok(resumed.logs.some((x) => x.includes('(step 7)')));
  for (let s = 8; s <= 12; s++) assert.ok(Math.abs(resumed_(resumed, s) - full.get(s)!) < 1e-5, `step ${s}`);

  const rootC = await tempDir();
  await assert.rejects(run(rootC, 12, abortAtStep(7)));
  await rm(join(rootC, 'checkpoint', 'step-00000007'), { recursive: true }); // as if killed before that save
  const fromFour = await run(rootC, 12);
  assert.ok(fromFour.logs.some((x) => x.includes('(step 4)')));
  for (let s = 5; s <= 12; s++) assert.ok(Math.abs(resumed_(fromFour, s) - full.get(s)!) < 1e-5, `step ${s}`);
});

function resumed_(r: RunStageResult, step: number): number {
  const v = losses(r).get(step);
  assert.ok(v !== undefined, `no loss at step ${step}`);
  return v;
}

test('raising steps continues a finished run from its final checkpoint', async () => {
  const { dir } = await fx;
  const root = await tempDir();
  const run = (steps: number, r = root) => runStage(stage, { backend: 'cpu', root: r, inputs: { tokens: dir }, options: { ...tiny, steps } });
  await run(12);
  const more = await run(16);
  assert.ok(more.logs.some((x) => x.includes('(step 12)')));
  assert.deepEqual([...losses(more).keys()], [13, 14, 15, 16]);
  const straight = losses(await run(16, await tempDir()));
  for (const [s, v] of losses(more)) assert.ok(Math.abs(v - straight.get(s)!) < 1e-5, `step ${s}`);
});

test('lowering steps trains afresh: a longer run\'s later checkpoint is ignored, and said so', async () => {
  const { dir } = await fx;
  const root = await tempDir();
  const run = (steps: number, r = root) => runStage(stage, { backend: 'cpu', root: r, inputs: { tokens: dir }, options: { ...tiny, steps, checkpoint_interval: 0 } });
  await run(16);
  const fewer = await run(8);
  assert.ok(fewer.logs.some((x) => /ignored 1 checkpoint\(s\) past step 8/.test(x)), fewer.logs.join('\n'));
  assert.deepEqual([...losses(fewer).keys()], [1, 2, 3, 4, 5, 6, 7, 8]);
  const straight = losses(await run(8, await tempDir()));
  for (const [s, v] of losses(fewer)) assert.ok(Math.abs(v - straight.get(s)!) < 1e-5, `step ${s}`);
});

test('a loss that turns NaN stops with E_NAN naming the step; the last good checkpoint stays', async () => {
  const { dir } = await fx;
  const root = await tempDir();
  await assert.rejects(
    runStage(stage, { backend: 'cpu', root, inputs: { tokens: dir }, options: { ...tiny, dropout: 0, steps: 30, lr: 1e30, warmup_steps: 0, grad_clip: 0, weight_decay: 0, checkpoint_interval: 1 } }),
    (e: TrainyardError) => e.code === 'E_NAN' && /at step \d+/.test(e.message),
  );
  const cks = (await readdir(join(root, 'checkpoint'))).filter((n) => n.startsWith('step-'));
  assert.ok(cks.length >= 1, 'a checkpoint before the NaN is kept');
});

test('early stopping: stops after `early_stopping_patience` evaluations without a better val loss', async () => {
  const { dir } = await fx;
  const res = await runStage(stage, { backend: 'cpu', inputs: { tokens: dir }, options: { ...tiny, dropout: 0, steps: 40, lr: 1e-30, min_lr: 0, eval_interval: 2, early_stopping_patience: 2 } });
  assert.ok(res.logs.some((x) => x.startsWith('info: early stop at step 6')), res.logs.join('\n'));
  assert.equal(losses(res).size, 6);
  assert.deepEqual((await readdir(res.outputs.model!)).sort(), ['config.json', 'model.safetensors', 'tokenizer.json']);
});

test('a truncated newest checkpoint: the run resumes from the previous one, says so, and matches an uninterrupted run', async () => {
  const { dir } = await fx;
  const run = (root: string, steps: number, signal?: AbortSignal) =>
    runStage(stage, { backend: 'cpu', root, signal, inputs: { tokens: dir }, options: { ...tiny, steps } });
  const full = losses(await run(await tempDir(), 12));
  const root = await tempDir();
  await assert.rejects(run(root, 12, abortAtStep(7)));
  const bad = join(root, 'checkpoint', 'step-00000007');
  const file = join(bad, 'model.safetensors');
  await truncate(file, (await stat(file)).size - 64);
  const resumed = await run(root, 12);
  const good = join(root, 'checkpoint', 'step-00000004');
  assert.ok(resumed.logs.some((x) => x.startsWith('warn: ') && x.includes(bad) && x.includes(good)), resumed.logs.join('\n'));
  assert.ok(resumed.logs.some((x) => x.includes('(step 4)')));
  for (let s = 5; s <= 12; s++) assert.ok(Math.abs(resumed_(resumed, s) - full.get(s)!) < 1e-5, `step ${s}`);
});

test('rebuilt from its final checkpoint (no step left), pretrain still reports tokens/s and the last step metrics', async () => {
  const { dir } = await fx;
  const root = await tempDir();
  const run = () => runStage(stage, { backend: 'cpu', root, inputs: { tokens: dir }, options: { ...tiny, steps: 12 } });
  const first = await run();
  const again = await run();
  assert.ok(again.logs.some((x) => x.includes('(step 12)')));
  const final = finalMetrics;
  assert.equal(final(again).tokens_per_s, final(first).tokens_per_s);
  assert.ok(final(again).tokens_per_s! > 0);
  assert.equal(again.stats.tokens_per_s, first.stats.tokens_per_s);
  const at12 = (r: RunStageResult) => Object.fromEntries(r.metrics.filter((m) => m.step === 12 && m.name !== 'val_loss').map((m) => [m.name, m.value]));
  assert.deepEqual(Object.keys(at12(again)).sort(), ['grad_norm', 'loss', 'lr', 'tokens_per_s']);
  assert.deepEqual(at12(again), at12(first));
  assert.ok(Math.abs(final(again).val_loss! - final(first).val_loss!) < 1e-6);
});
