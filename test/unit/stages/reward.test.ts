/**
 * The reward stage on AFINN "positive sentiment" pairs with a tiny random-init backbone:
 * held-out accuracy goes far above chance, the folder is a GPT2ForSequenceClassification one
 * whose RewardModel reproduces the held-out ordering, reward_stats.json is written, and
 * resume after an abort gives the uninterrupted losses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import stage from '../../../src/stages/reward/index.js';
import { setupBackend } from '../../../src/backends/index.js';
import { RewardModel } from '../../../src/preferences/reward-model.js';
import { readSafetensors } from '../../../src/model/safetensors.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { runStage, tempDir, abortAtStep, stepLosses, finalMetrics } from '../../helpers/stage-tester.js';
import { nativeSkipReason } from '../backends/native/harness.js';
import { NEGATIVE, POSITIVE, preferenceFixture } from './preference-fixture.js';

const backend = (await nativeSkipReason()) ? 'wasm' : 'native';
const fx = preferenceFixture('trainyard-reward-');
const opts = { steps: 150, batch_size: 8, lr: 3e-3, min_lr: 3e-4, warmup_steps: 5, eval_interval: 20, checkpoint_interval: 10 };
const final = finalMetrics;
const losses = stepLosses;


test('reward: held-out accuracy far above chance; an HF sequence-classification folder that RewardModel scores the same way', async () => {
  const f = await fx;
  const res = await runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { ...opts, data: f.data, validation_data: f.val } });
  const m = final(res);
  console.log(`reward: held-out accuracy ${m.base_accuracy} → ${m.accuracy}, mean margin ${m.mean_margin}, length corr ${m.length_correlation}`);
  assert.ok(m.accuracy! >= 0.9, `accuracy ${m.accuracy}`);
  assert.ok(m.mean_margin! > 1, `margin ${m.mean_margin}`);
  assert.ok(res.logs.some((l) => l.includes('center_rewards_coefficient 0, score head N(0, 0.02²)')), 'defaults printed');
  assert.ok(res.metrics.some((x) => x.name === 'rewards/accuracies' && x.step === 150), 'per-step pair metrics');
  const dir = res.outputs.model!;
  const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  assert.deepEqual([cfg.architectures, cfg.num_labels], [['GPT2ForSequenceClassification'], 1]);
  const st = await readSafetensors(join(dir, 'model.safetensors'));
  assert.deepEqual(st.tensors.get('score.weight')!.shape, [1, 32]);
  assert.ok(st.tensors.has('transformer.h.1.mlp.c_fc.weight'));
  const stats = JSON.parse(await readFile(join(dir, 'reward_stats.json'), 'utf8'));
  assert.ok(stats.samples === 80 && stats.std > 0 && Math.abs(stats.mean - m.reward_mean!) < 1e-6, JSON.stringify(stats));

  await setupBackend(backend);
  const rm = await RewardModel.load(dir);
  try {
    assert.deepEqual(rm.stats, stats);
    const enc = (s: string) => rm.tokenizer.encode(s);
    const seqs = [enc(`Review 900: so ${POSITIVE[0]}`), enc(`Review 900: so ${NEGATIVE[0]}`), [], enc(`Review 9: so ${POSITIVE[3]}`)];
    const r = rm.score(seqs);
    assert.ok(r[0]! > r[1]!, `positive ${r[0]} vs negative ${r[1]}`);
    assert.ok(Number.isNaN(r[2]!));
    const alone = rm.score([seqs[3]!]);
    assert.ok(Math.abs(alone[0]! - r[3]!) < 1e-4, 'padding does not change a score');
  } finally {
    rm.dispose();
  }
});

test('reward: resume is exact (abort at step 7, rerun: same losses)', async () => {
  const f = await fx;
  const o = { ...opts, steps: 12, data: f.data, validation_data: f.val };
  const run = (root: string, signal?: AbortSignal) => runStage(stage, { backend, root, signal, cwd: f.cwd, inputs: { model: f.model }, options: o });
  const full = losses(await run(await tempDir()));
  const root = await tempDir();
  await assert.rejects(run(root, abortAtStep(7)), (e: TrainyardError) => e.code === 'E_ABORTED');
  const resumed = await run(root);
  assert.ok(resumed.logs.some((x) => x.includes('(step 7)')));
  for (let s = 8; s <= 12; s++) assert.ok(Math.abs(losses(resumed).get(s)! - full.get(s)!) < 1e-5, `step ${s}: ${losses(resumed).get(s)} vs ${full.get(s)}`);
});
