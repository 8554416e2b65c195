/**
 * trainLoop with no step left (a pretrain or sft stage resumed from its final checkpoint):
 * the restored tokens/s and last-step metrics are reported, not 0 and nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainLoop, type LoopOptions, type LoopState } from '../../../src/train/loop.js';
import type { Trainer } from '../../../src/train/trainer.js';

const loop: LoopOptions = { steps: 3, evalInterval: 0, sampleInterval: 0, checkpointInterval: 0, checkpointMinutes: 0, patience: 0 };

function fakeTrainer(step: number): Trainer {
  const t = { step, lastTokens: 64, trainStep: () => { t.step += 1; return { loss: 2, lr: 0.1, gradNorm: 0.5 }; } };
  return t as unknown as Trainer;
}

async function run(t: Trainer, st: LoopState) {
  const metrics: Array<[string, number, number | undefined]> = [];
  let saved: LoopState | null = null;
  const res = await trainLoop(t, loop, {
    signal: new AbortController().signal, metric: (n, v, s) => metrics.push([n, v, s]), progress() {}, info() {},
    validate: () => 1, checkpoint: async () => { saved = structuredClone(st); },
  }, st);
  return { res, metrics, saved: saved as LoopState | null };
}

test('a loop that takes steps records tokens/s and the last step metrics in its state (for the checkpoint)', async () => {
  const { res, saved } = await run(fakeTrainer(0), { bestVal: null, evalsSinceBest: 0, lastLoss: null });
  assert.ok(res.tokensPerS > 0);
  assert.equal(saved?.tokensPerS, res.tokensPerS);
  assert.deepEqual(Object.keys(saved?.lastStep ?? {}), ['loss', 'lr', 'grad_norm', 'tokens_per_s']);
  assert.equal(saved?.lastStep?.grad_norm, 0.5);
});

test('a loop with no step left reports the restored tokens/s and re-reports the last step metrics at its step', async () => {
  const lastStep = { loss: 1.5, lr: 0.01, grad_norm: 0.25, tokens_per_s: 900 };
  const { res, metrics, saved } = await run(fakeTrainer(3), { bestVal: 1, evalsSinceBest: 0, lastLoss: 1.5, tokensPerS: 800, lastStep });
  assert.equal(res.tokensPerS, 800);
  assert.deepEqual(metrics, [['loss', 1.5, 3], ['lr', 0.01, 3], ['grad_norm', 0.25, 3], ['tokens_per_s', 900, 3]]);
  assert.equal(saved?.tokensPerS, 800, 'the rewritten final checkpoint keeps them');
  assert.deepEqual(saved?.lastStep, lastStep);
  const old = await run(fakeTrainer(3), { bestVal: 1, evalsSinceBest: 0, lastLoss: 1.5 });
  assert.equal(old.res.tokensPerS, 0, 'a checkpoint from before tokens/s was kept has nothing to report');
  assert.deepEqual(old.metrics, []);
});
