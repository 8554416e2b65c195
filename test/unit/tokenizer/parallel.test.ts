import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charTokenizer, loadTokenizer, trainBpe, type Tokenizer } from '../../../src/tokenizer/index.js';
import { countWords, cutText, TokenizerPool } from '../../../src/tokenizer/parallel.js';
import { encodeDocs } from '../../../src/tokenizer/encode-stream.js';
import { mobyTexts, rng, sotuTexts } from './fixtures.js';

async function encodeAll(tok: Tokenizer, docs: string[], threads: number): Promise<number[][]> {
  const pool = new TokenizerPool(tok, threads);
  const out: number[][] = [];
  let cur: number[] = [];
  try {
    await encodeDocs(pool, docs, { piece: (ids) => { for (const id of ids) cur.push(id); }, docEnd: () => { out.push(cur); cur = []; } });
  } finally {
    await pool.close();
  }
  return out;
}

test('cutText cuts only where the ids do not change', async () => {
  const gpt2 = await loadTokenizer('gpt2');
  const r = rng(3);
  const words = ['the', ' ', '  ', '\n', '\n\n', 'x1', "'s", '!!', '日本', ' \t ', '😉'];
  let text = '';
  while (text.length < 200_000) text += words[Math.floor(r() * words.length)];
  const pieces = cutText(text, 997);
  assert.ok(pieces.length > 100);
  assert.equal(pieces.join(''), text);
  assert.deepEqual(pieces.flatMap((p) => gpt2.encode(p)), gpt2.encode(text));
  assert.deepEqual(cutText('a'.repeat(5000), 100), ['a'.repeat(5000)]); // no safe cut: kept whole
});

test('worker count does not change the ids (GPT-2, trained BPE, char)', async () => {
  const docs = [...sotuTexts().slice(0, 30), '', 'x', 'y'.repeat(3_000_000)];
  const gpt2 = await loadTokenizer('gpt2');
  const one = await encodeAll(gpt2, docs, 1);
  const two = await encodeAll(gpt2, docs, 2);
  assert.equal(one.length, docs.length);
  assert.deepEqual(two, one);
  assert.deepEqual(one[3], gpt2.encode(docs[3]!));
  const trained = await trainBpe(mobyTexts().slice(0, 10), { vocabSize: 500 });
  const m = mobyTexts().slice(10, 40);
  assert.deepEqual(await encodeAll(trained, m, 2), await encodeAll(trained, m, 1));
  const chars = charTokenizer(m);
  assert.deepEqual(await encodeAll(chars, m, 2), m.map((t) => chars.encode(t)));
});

test('word counts on workers equal inline counts', async () => {
  const docs = [...mobyTexts().slice(0, 50), 'a<|endoftext|>b', ''];
  const inline = await countWords(docs, ['<|endoftext|>'], 1);
  const workers = await countWords(docs, ['<|endoftext|>'], 2, undefined, 100_000);
  assert.equal(workers.counts.size, inline.counts.size);
  for (const [w, n] of inline.counts) assert.equal(workers.counts.get(w), n, w);
  assert.equal(inline.counts.get('<|endoftext|>'), undefined);
});
