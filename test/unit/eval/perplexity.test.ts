import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { loadModelFolder } from '../../../src/model/checkpoint.js';
import { GPT } from '../../../src/model/gpt.js';
import { readTokens } from '../../../src/artifacts/tokens.js';
import { rollingPerplexity } from '../../../src/eval/perplexity.js';
import { splitDocuments } from '../../../src/eval/windows.js';
import { evalFixture } from './fixtures.js';

/** Reference: disjoint block_size chunks after an end-of-text prefix, NLL from the logits in float64. */
function directNll(model: GPT, docs: Uint32Array[], eot: number): { nll: number; tokens: number } {
  const bs = model.config.block_size;
  let nll = 0;
  let tokens = 0;
  for (const doc of docs) {
    const stream = [eot, ...doc];
    for (let s = 0; s < doc.length; s += bs) {
      const n = Math.min(bs, doc.length - s);
      // Targets doc[s..s+n) are predicted by stream[s..s+n) with as much left context as fits.
      const from = Math.max(0, s + n - bs);
      const input = stream.slice(from, s + n);
      const logits = tf.tidy(() => model.forward(tf.tensor2d(Int32Array.from(input), [1, input.length], 'int32'))).arraySync() as number[][];
      for (let j = s; j < s + n; j++) {
        const row = logits[j - from]!;
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
        nll += lse - row[doc[j]!]!;
        tokens++;
      }
    }
  }
  return { nll, tokens };
}

test('perplexity and bits per byte agree with a direct forward-pass computation within 1e-4; batch size changes nothing', async () => {
  await setupBackend('cpu');
  const fx = await evalFixture({ testParagraphs: 3 });
  const { config, weights } = await loadModelFolder(fx.modelDir);
  const model = new GPT(config, weights);
  const docs = splitDocuments(await readTokens(fx.tokensDir, 'test'), fx.tok.eotId);
  const res = await rollingPerplexity(model, fx.tok, docs, { batchSize: 4 });
  const ref = directNll(model, docs, fx.tok.eotId!);
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(fx.tok.decode(d)), 0);
  assert.equal(res.metrics.tokens, ref.tokens);
  assert.equal(res.metrics.bytes, bytes);
  assert.ok(Math.abs(res.metrics.perplexity! - Math.exp(ref.nll / ref.tokens)) < 1e-4, `ppl ${res.metrics.perplexity} vs ${Math.exp(ref.nll / ref.tokens)}`);
  assert.ok(Math.abs(res.metrics.bits_per_byte! - ref.nll / (Math.LN2 * bytes)) < 1e-4);
  // A random model is close to uniform: loss ≈ ln(V).
  assert.ok(Math.abs(res.metrics.loss! - Math.log(config.vocab_size)) < 0.2, `loss ${res.metrics.loss}`);
  assert.ok(res.metrics.bits_per_byte_stderr! > 0 && res.metrics.bits_per_byte_stderr! < 0.1);
  for (const b of [1, 7]) {
    const other = await rollingPerplexity(model, fx.tok, docs, { batchSize: b });
    assert.deepEqual(other.metrics, res.metrics, `batch size ${b}`);
  }
  model.dispose();
});
