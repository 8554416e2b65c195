/**
 * The dpo stage on AFINN "positive sentiment" pairs from a tiny random-init model: held-out
 * implicit-reward accuracy and margin go well above their start (0.5-ish and 0: the policy
 * starts as the reference), IPO trains too, the reference log-probs are computed once and
 * read back from the cache on resume, resume after an abort is exact, and the output is a
 * model folder that loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import stage from '../../../src/stages/dpo/index.js';
import { setupBackend } from '../../../src/backends/index.js';
import { loadModel } from '../../../src/model/load.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { runStage, tempDir, abortAtStep, stepLosses, finalMetrics } from '../../helpers/stage-tester.js';
import { nativeSkipReason } from '../backends/native/harness.js';
import { preferenceFixture } from './preference-fixture.js';

const backend = (await nativeSkipReason()) ? 'wasm' : 'native';
const fx = preferenceFixture('trainyard-dpo-');
const opts = { steps: 80, batch_size: 8, lr: 3e-3, min_lr: 3e-4, warmup_steps: 5, eval_interval: 20, checkpoint_interval: 10, template: 'chatml' };
const final = finalMetrics;
const losses = stepLosses;


test('dpo (sigmoid): held-out preference accuracy and margin rise well above the start; the model folder loads', async () => {
  const f = await fx;
  const res = await runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { ...opts, data: f.data, validation_data: f.val, prompts: ['Review 7:'], sample_tokens: 8 } });
  const m = final(res);
  console.log(`dpo sigmoid: held-out accuracy ${m['eval_rewards/accuracies']}, margin ${m['eval_rewards/margins']}, chosen ${m['eval_rewards/chosen']}, rejected ${m['eval_rewards/rejected']}`);
  assert.ok(m['eval_rewards/accuracies']! >= 0.8, `accuracy ${m['eval_rewards/accuracies']}`);
  assert.ok(m['eval_rewards/margins']! > 0.5, `margin ${m['eval_rewards/margins']}`);
  assert.ok(res.logs.some((l) => l.includes('dpo: loss sigmoid, beta 0.1, label_smoothing 0')), 'defaults printed');
  const step1 = res.metrics.find((x) => x.name === 'rewards/margins' && x.step === 1)!;
  assert.ok(Math.abs(step1.value) < 1e-4, `the policy starts as the reference: margin ${step1.value}`);
  assert.ok(res.metrics.some((x) => x.name === 'rewards/accuracies' && x.step === 80));
  assert.ok(res.logs.some((l) => l.includes('reference log-probs computed once')));
  assert.deepEqual((await readdir(res.outputs.report!)).sort(), ['metrics.json', 'samples.jsonl']);
  await setupBackend(backend);
  const loaded = await loadModel(res.outputs.model!);
  loaded.model.dispose();
});

test('dpo (ipo): trains the margin up too', async () => {
  const f = await fx;
  const res = await runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { ...opts, steps: 60, loss_type: 'ipo', data: f.data, validation_data: f.val } });
  const m = final(res);
  console.log(`dpo ipo: held-out accuracy ${m['eval_rewards/accuracies']}, margin ${m['eval_rewards/margins']}`);
  assert.ok(m['eval_rewards/accuracies']! >= 0.75 && m['eval_rewards/margins']! > 0, JSON.stringify(m));
});

test('dpo: resume is exact and reads the cached reference log-probs', async () => {
  const f = await fx;
  const o = { ...opts, steps: 12, data: f.data, validation_data: f.val };
  const run = (root: string, signal?: AbortSignal) => runStage(stage, { backend, root, signal, cwd: f.cwd, inputs: { model: f.model }, options: o });
  const full = losses(await run(await tempDir()));
  const root = await tempDir();
  await assert.rejects(run(root, abortAtStep(7)), (e: TrainyardError) => e.code === 'E_ABORTED');
  const resumed = await run(root);
  assert.ok(resumed.logs.some((x) => x.includes('(step 7)')));
  assert.ok(resumed.logs.some((x) => x.includes('reference log-probs read from the cache')));
  for (let s = 8; s <= 12; s++) assert.ok(Math.abs(losses(resumed).get(s)! - full.get(s)!) < 1e-5, `step ${s}: ${losses(resumed).get(s)} vs ${full.get(s)}`);
});
