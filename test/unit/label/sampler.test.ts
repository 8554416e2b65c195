/**
 * The batched sampler (AI feedback's n completions per prompt in one KV-cached batch) draws
 * exactly what the one-at-a-time sampler draws for the same seeds, in raw and chat form, so
 * batching changes speed only; and a row's text does not depend on the rows beside it. (A
 * prompt longer than block_size − max_tokens is cropped from the left once, where generate
 * slides its window; the two differ only there.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupBackend } from '../../../src/backends/index.js';
import { createSampler } from '../../../src/label/sampler.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';
import { mobyDick } from '../train/fixtures.js';

test('sampleMany = sample for the same seeds (raw and chat), whatever the batch', async () => {
  await setupBackend('cpu');
  const tok = charTokenizer([mobyDick(1, 1) + '<|>im_start end']);
  const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 96, vocab_size: tok.vocabSize, dropout: 0 };
  const model = new GPT(cfg, initParams(cfg, 7));
  const dir = await tempDir();
  const prompts = ['Call me Ishmael.', 'Call me Ishmael.', 'Some years ago', 'It is a way I have'];
  const seeds = [11, 12, 13, 14];
  try {
    for (const chat of [false, true]) {
      const s = createSampler(model, tok, dir, { chat, temperature: 1.5, maxTokens: 12 });
      const one = [];
      for (const [i, p] of prompts.entries()) one.push(await s.sample(p, seeds[i]!));
      const many = await s.sampleMany(prompts, seeds);
      assert.deepEqual(many, one, `chat ${chat}`);
      assert.notEqual(many[0], many[1], 'two seeds of one prompt give two completions');
      assert.deepEqual(await s.sampleMany([prompts[2]!], [seeds[2]!]), [one[2]], 'alone or in a batch, the same row');
    }
  } finally {
    model.dispose();
  }
});
