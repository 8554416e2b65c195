/**
 * min_new_tokens: the end tokens cannot be drawn before it, and the log-probs PPO trains on are
 * those of the same masked distribution (else the ratio and KL would be biased).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { sampleCompletions } from '../../../src/model/batch-sample.js';
import { scoreRows } from '../../../src/stages/ppo/policy.js';

const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 32, vocab_size: 6, dropout: 0 };

test('no end token before min_new_tokens, and the scored log-probs renormalise without it', async () => {
  await setupBackend('cpu');
  const w = initParams(cfg, 3);
  const m = new GPT(cfg, w);
  const prompts = Array.from({ length: 24 }, (_, i) => [i % 5, (i + 1) % 5]);
  const free = sampleCompletions(m, prompts, { maxTokens: 8, temperature: 3, topK: 0, topP: 1, stop: [5], seed: 1 });
  assert.ok(free.some((r) => r.length < 8), 'without the option some completions end early');
  const fixed = sampleCompletions(m, prompts, { maxTokens: 8, temperature: 3, topK: 0, topP: 1, stop: [5], seed: 1, minNewTokens: 8 });
  for (const r of fixed) { assert.equal(r.length, 8); assert.ok(!r.includes(5)); }
  // The masked log-prob of a token equals log softmax over the logits without the end token.
  const rows = [{ prompt: [1, 2], response: [3, 4] }];
  const masked = scoreRows(m, null, rows, 1, 8, { ids: [5], minNew: 2 }).logp;
  const plain = scoreRows(m, null, rows, 1, 8).logp;
  const logits = tf.tidy(() => m.forward(tf.tensor2d([1, 2, 3], [1, 3], 'int32')).arraySync() as number[][]);
  for (let j = 0; j < 2; j++) {
    const l = logits[1 + j]!;
    const lse = (xs: number[]) => { const mx = Math.max(...xs); return mx + Math.log(xs.reduce((s, x) => s + Math.exp(x - mx), 0)); };
    const target = rows[0]!.response[j]!;
    assert.ok(Math.abs(plain[j]! - (l[target]! - lse(l))) < 1e-4);
    assert.ok(Math.abs(masked[j]! - (l[target]! - lse(l.slice(0, 5)))) < 1e-4, `${masked[j]} vs ${l[target]! - lse(l.slice(0, 5))}`);
  }
  m.dispose();
});
