import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setupBackend } from '../../../src/backends/index.js';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { sampleFromFolder } from '../../../src/model/generate.js';
import { generate } from '../../../src/model/sample.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

await setupBackend('cpu');
const tok = charTokenizer(['abcdefgh .']);
const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, vocab_size: tok.vocabSize, dropout: 0 };

async function folder(): Promise<{ dir: string; weights: Map<string, Float32Array> }> {
  const weights = initParams(cfg, 4);
  for (const w of weights.values()) for (let i = 0; i < w.length; i++) w[i] = w[i]! * 30;
  const dir = await tempDir();
  await saveModelFolder(dir, cfg, weights, { eosId: tok.eotId });
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tok.toJSON()));
  return { dir, weights };
}

test('sampleFromFolder streams the decoded continuation generate() produces', async () => {
  const { dir, weights } = await folder();
  const chunks: string[] = [];
  const text = await sampleFromFolder(dir, { prompt: 'abc', maxTokens: 25, temperature: 0.7, seed: 5 }, (s) => chunks.push(s));
  assert.equal(chunks.join(''), text);
  const model = new GPT(cfg, weights);
  const ids: number[] = [];
  for await (const id of generate(model, tok.encode('abc'), { maxTokens: 25, temperature: 0.7, seed: 5, stop: [tok.eotId!] })) {
    if (id === tok.eotId) break;
    ids.push(id);
  }
  model.dispose();
  assert.equal(text, tok.decode(ids));
  assert.ok(text.length > 0);
});

test('sampleFromFolder cuts at a stop string and never emits it', async () => {
  const { dir } = await folder();
  const full = await sampleFromFolder(dir, { prompt: 'a', maxTokens: 30, temperature: 1, seed: 2 }, () => {});
  const stop = full.slice(5, 7);
  const chunks: string[] = [];
  const cut = await sampleFromFolder(dir, { prompt: 'a', maxTokens: 30, temperature: 1, seed: 2, stop: [stop] }, (s) => chunks.push(s));
  assert.equal(cut, full.slice(0, full.indexOf(stop)));
  assert.equal(chunks.join(''), cut);
});
