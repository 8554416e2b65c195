import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainBpe, tokenizerFromJSON } from '../../../src/tokenizer/index.js';
import { mobyTexts } from './fixtures.js';

const texts = mobyTexts().slice(0, 40);
const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);

test('training is deterministic (byte-identical tokenizer.json)', async () => {
  const a = await trainBpe(texts, { vocabSize: 600 });
  const b = await trainBpe([...texts], { vocabSize: 600 });
  assert.equal(JSON.stringify(a.toJSON()), JSON.stringify(b.toJSON()));
});

test('merges reduce the token count, more merges reduce it further', async () => {
  const small = await trainBpe(texts, { vocabSize: 300 });
  const big = await trainBpe(texts, { vocabSize: 2000 });
  const n0 = bytes; // the 256 byte tokens alone give one token per byte
  const n1 = texts.reduce((s, t) => s + small.encode(t).length, 0);
  const n2 = texts.reduce((s, t) => s + big.encode(t).length, 0);
  assert.ok(n1 < n0 * 0.8, `${n1} vs ${n0}`);
  assert.ok(n2 < n1 * 0.7, `${n2} vs ${n1}`);
  assert.ok(bytes / n2 > 3, `bytes/token ${bytes / n2}`);
});

test('vocab layout: specials first, 256 bytes, then merges; round-trips any text', async () => {
  const tok = await trainBpe(texts, { vocabSize: 1000, specialTokens: ['<|endoftext|>', '<|pad|>'] });
  assert.equal(tok.vocabSize, 1000);
  assert.equal(tok.eotId, 0);
  assert.equal(tok.specialTokens.get('<|pad|>'), 1);
  const j = tok.toJSON() as { model: { merges: string[] } };
  assert.equal(j.model.merges.length, 1000 - 2 - 256);
  for (const s of ['Call me Ishmael.', 'unseen: 日本語 😉 \u0000\u0001 ÿ', '']) assert.equal(tok.decode(tok.encode(s)), s);
});

test('first merges are the most frequent pairs; ties broken by ids', async () => {
  const tok = await trainBpe(['ab ab ab cd cd cd'], { vocabSize: 262, minFrequency: 1, specialTokens: [] });
  const merges = (tok.toJSON() as { model: { merges: string[] } }).model.merges;
  // "Ġ a"/"a b"/"Ġ c"/"c d" each occur 3 times (counted per word); ties go to the smaller pair ids.
  assert.deepEqual(merges.slice(0, 2), ['a b', 'c d']);
});

test('min_frequency stops training early', async () => {
  const tok = await trainBpe(['abc abc xyz'], { vocabSize: 5000, minFrequency: 2 });
  // Words "abc", "Ġabc", "Ġxyz": only (a,b) and then (ab,c) occur twice.
  assert.equal(tok.vocabSize, 1 + 256 + 2);
  assert.deepEqual((tok.toJSON() as { model: { merges: string[] } }).model.merges, ['a b', 'ab c']);
});

test('special-token text inside documents is not learned', async () => {
  const doc = '<|endoftext|>'.repeat(50) + ' hello';
  const tok = await trainBpe([doc], { vocabSize: 400, minFrequency: 1 });
  const merges = (tok.toJSON() as { model: { merges: string[] } }).model.merges;
  assert.ok(merges.every((m) => !m.includes('|')), merges.join(', '));
});

test('worker threads give the same tokenizer', async () => {
  const a = await trainBpe(texts, { vocabSize: 800, threads: 1 });
  const b = await trainBpe(texts, { vocabSize: 800, threads: 2 });
  assert.equal(JSON.stringify(a.toJSON()), JSON.stringify(b.toJSON()));
  assert.deepEqual(tokenizerFromJSON(b.toJSON()).encode(texts[0]!), a.encode(texts[0]!));
});
