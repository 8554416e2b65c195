/**
 * Training on the native backend through the real model, trainer and pretrain stage:
 * exact resume (same losses as an uninterrupted run), and tensor count and RSS flat over
 * 1,000 steps. Skipped, with the reason, when the addon is not built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import stage from '../../../../src/stages/pretrain/index.js';
import { setupBackend } from '../../../../src/backends/index.js';
import { GPT, initParams } from '../../../../src/model/gpt.js';
import { Trainer } from '../../../../src/train/trainer.js';
import { runStage, tempDir, type RunStageResult } from '../../../helpers/stage-tester.js';
import { charTokensFixture, mobyDick } from '../../train/fixtures.js';
import { nativeSkipReason } from './harness.js';

const skip = await nativeSkipReason();
const losses = (r: RunStageResult) => new Map(r.metrics.filter((m) => m.name === 'loss').map((m) => [m.step!, m.value]));
const tiny = { n_layer: 2, n_head: 2, n_embd: 32, block_size: 32, batch_size: 4, dropout: 0, warmup_steps: 2, lr: 3e-3, lr_decay_steps: 16, eval_interval: 100, eval_iters: 2, sample_interval: 0, checkpoint_interval: 4 };

test('native: resuming from a checkpoint reproduces the uninterrupted run', { skip }, async () => {
  const { dir } = await charTokensFixture(mobyDick(1, 3));
  const run = (root: string, steps: number) => runStage(stage, { backend: 'native', root, inputs: { tokens: dir }, options: { ...tiny, steps } });
  const full = losses(await run(await tempDir(), 12));
  const root = await tempDir();
  await run(root, 8); // finishes at 8 with a final checkpoint; raising steps resumes from it
  const resumed = await run(root, 12);
  assert.ok(resumed.logs.some((x) => /step 8/.test(x)), resumed.logs.join('\n'));
  for (let s = 9; s <= 12; s++) {
    const a = losses(resumed).get(s)!, b = full.get(s)!;
    assert.ok(Math.abs(a - b) < 1e-5, `step ${s}: ${a} vs ${b}`);
  }
});

test('native: tensor count and RSS stay flat over 1,000 steps', { skip, timeout: 120_000 }, async () => {
  await setupBackend('native');
  const config = { n_layer: 2, n_head: 2, n_embd: 32, block_size: 32, vocab_size: 64, dropout: 0 };
  const data = Uint16Array.from({ length: 50_000 }, (_, i) => (i * 31 + (i >> 2)) % 64);
  const model = new GPT(config, initParams(config, 1));
  const trainer = new Trainer(model, data, {
    batchSize: 4, gradAccum: 1, gradClip: 1, seed: 1,
    schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 10, decaySteps: 1000 },
    adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  });
  let tensors100 = 0, rss100 = 0;
  for (let s = 1; s <= 1000; s++) {
    trainer.trainStep();
    if (s === 100) { tensors100 = tf.memory().numTensors; rss100 = process.memoryUsage().rss; }
  }
  const grew = (process.memoryUsage().rss - rss100) / 2 ** 20;
  assert.equal(tf.memory().numTensors, tensors100, 'tensor count is flat');
  assert.ok(grew < 64, `RSS grew ${grew.toFixed(1)} MiB between steps 100 and 1000`);
  trainer.dispose();
  model.dispose();
});
