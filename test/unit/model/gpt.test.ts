import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { generate, pickToken } from '../../../src/model/sample.js';
import { Rng } from '../../../src/util/random.js';

const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 12, vocab_size: 13, dropout: 0 };

test('forward: logits [B*T, V]; initial loss ≈ ln(V); causal (future tokens do not change the past)', async () => {
  await setupBackend('cpu');
  const m = new GPT(cfg, initParams(cfg, 1));
  const a = Int32Array.from([1, 2, 3, 4, 5, 6]);
  const b = Int32Array.from([1, 2, 3, 9, 9, 9]);
  const la = m.forward(tf.tensor2d(a, [1, 6], 'int32'));
  const lb = m.forward(tf.tensor2d(b, [1, 6], 'int32'));
  assert.deepEqual(la.shape, [6, 13]);
  const da = la.arraySync() as number[][];
  const db = lb.arraySync() as number[][];
  for (let t = 0; t < 3; t++) for (let v = 0; v < 13; v++) assert.ok(Math.abs(da[t]![v]! - db[t]![v]!) < 1e-6);
  assert.ok(Math.abs(da[3]![0]! - db[3]![0]!) > 1e-7);
  const loss = m.loss(tf.tensor2d(a, [1, 6], 'int32'), tf.tensor2d(b, [1, 6], 'int32')).dataSync()[0]!;
  assert.ok(Math.abs(loss - Math.log(13)) < 0.1, `loss ${loss}`);
  tf.dispose([la, lb]);
  m.dispose();
});

test('generate: KV-cache greedy decoding equals full-window recompute, and leaks no tensors', async () => {
  await setupBackend('cpu');
  const w = initParams(cfg, 2);
  for (const x of w.values()) for (let i = 0; i < x.length; i++) x[i] = x[i]! * 20; // sharpen so argmax is stable
  const m = new GPT(cfg, w);
  const prompt = [3, 1, 4];
  const before = tf.memory().numTensors;
  const cached: number[] = [];
  for await (const id of generate(m, prompt, { maxTokens: 20, temperature: 0 })) cached.push(id);
  assert.equal(tf.memory().numTensors, before);
  // Reference: recompute the whole window each token; same re-prefill rule (last half) when full.
  const ctx = [...prompt];
  let window = [...prompt];
  const ref: number[] = [];
  for (let n = 0; n < 20; n++) {
    const logits = tf.tidy(() => tf.slice(m.forward(tf.tensor2d(Int32Array.from(window), [1, window.length], 'int32')), [window.length - 1, 0], [1, -1]));
    const id = pickToken(logits.dataSync() as Float32Array, { temperature: 0, topK: 0, topP: 1 }, new Rng(0));
    logits.dispose();
    ref.push(id);
    ctx.push(id);
    window = window.length >= cfg.block_size ? ctx.slice(-cfg.block_size / 2) : [...window, id];
  }
  assert.deepEqual(cached, ref);
  m.dispose();
});

test('pickToken: top-k keeps the k best, top-p the nucleus, temperature 0 is argmax, seeded', () => {
  const logits = Float32Array.from([0, 5, 4.9, -3, 1]);
  assert.equal(pickToken(logits, { temperature: 0, topK: 0, topP: 1 }, new Rng(1)), 1);
  const seen = new Set<number>();
  const rng = new Rng(3);
  for (let i = 0; i < 300; i++) seen.add(pickToken(logits, { temperature: 1, topK: 2, topP: 1 }, rng));
  assert.deepEqual([...seen].sort(), [1, 2]);
  const nucleus = new Set<number>();
  for (let i = 0; i < 300; i++) nucleus.add(pickToken(logits, { temperature: 1, topK: 0, topP: 0.3 }, rng));
  assert.deepEqual([...nucleus], [1]);
  const a = Array.from({ length: 20 }, (_, i) => pickToken(logits, { temperature: 2, topK: 0, topP: 1 }, new Rng(i)));
  const b = Array.from({ length: 20 }, (_, i) => pickToken(logits, { temperature: 2, topK: 0, topP: 1 }, new Rng(i)));
  assert.deepEqual(a, b);
});
