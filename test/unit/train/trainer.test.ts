import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { Trainer } from '../../../src/train/trainer.js';
import { sampleBatch, chooseSplits, holdOut, windowBatches } from '../../../src/train/data.js';
import { Rng } from '../../../src/util/random.js';
import { mobyDick } from './fixtures.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';

const text = mobyDick(1, 1);
const tok = charTokenizer([text]);
const data = Uint16Array.from(tok.encode(text));

for (const backend of ['cpu', 'wasm']) {
  test(`${backend}: tensor count stays flat across steps (with grad accumulation, eval, dropout)`, async () => {
    await setupBackend(backend);
    const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, vocab_size: tok.vocabSize, dropout: 0.1 };
    const model = new GPT(cfg, initParams(cfg, 1));
    const t = new Trainer(model, data, { batchSize: 4, gradAccum: 2, gradClip: 1, seed: 1, schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 2, decaySteps: 20 }, adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 } });
    t.trainStep();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) t.trainStep();
    t.estimateLoss(windowBatches(data, 2, 4, 16, 3));
    assert.equal(tf.memory().numTensors, after1);
    assert.equal(t.step, 6);
    t.dispose();
    model.dispose();
  });
}

test('sampleBatch: y is x shifted by one; the same PRNG state draws the same windows', () => {
  const d = Uint16Array.from({ length: 100 }, (_, i) => i);
  const a = sampleBatch(d, 3, 5, new Rng(9));
  for (let i = 0; i < 15; i++) assert.equal(a.y[i], a.x[i]! + 1);
  assert.deepEqual(sampleBatch(d, 3, 5, new Rng(9)), a);
});

test('splits: validation split when present, else the last 10% of train', () => {
  const meta = { vocab_size: 10, dtype: 'uint16' as const, eot_id: null, tokenizer: 'tokenizer.json' };
  assert.deepEqual(chooseSplits({ ...meta, splits: { train: 5, validation: 2 } }), { train: 'train', validation: 'validation', fraction: 0 });
  assert.deepEqual(chooseSplits({ ...meta, splits: { all: 5 } }), { train: 'all', validation: null, fraction: 0.1 });
  const { train, val } = holdOut(Uint16Array.from({ length: 100 }, (_, i) => i), 0.1);
  assert.equal(train.length, 90);
  assert.equal(val[0], 90);
});
