/**
 * Conformance: with GPT-2's vocabulary our encoder must give exactly js-tiktoken's ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEncoding } from 'js-tiktoken';
import { loadTokenizer, type Tokenizer } from '../../../src/tokenizer/index.js';
import { mobyTexts, rng, sotuTexts } from './fixtures.js';

const ref = getEncoding('gpt2');
let gpt2: Tokenizer;

test('loads GPT-2 from js-tiktoken ranks', async () => {
  gpt2 = await loadTokenizer('gpt2');
  assert.equal(gpt2.vocabSize, 50257);
  assert.equal(gpt2.eotId, 50256);
});

const CASES = [
  'hello123!!!? (안녕하세요!) 😉',
  "It's a dog's life; we'll see, they've gone, I'm sure you'd know, they're here. 'S 'T",
  '日本語のテキストと中文的文本，还有한국어.',
  'emoji: 👩‍👩‍👧‍👦 🏳️‍🌈 🤖🤖🤖 ❤️',
  'numbers 3.14159 1,000,000 2024-01-01 0x1F 1e-9 ١٢٣',
  '   leading spaces and    inner   runs   \n\n\n\t\ttabs\r\n\r\nCRLF   ',
  'trailing whitespace     ',
  '\u00a0non-breaking\u00a0spaces\u2003em\u3000ideographic',
  'Ünïcödé àccents ﬁ ligature Ⅻ roman',
  '', ' ', '\n', 'a', "'", "''s", 'x'.repeat(500),
  'lone surrogate \ud800 here \udc00 and end \ud83d',
  '<|endoftext|> is plain text here',
];

test('exact ids on varied strings', () => {
  for (const s of CASES) assert.deepEqual(gpt2.encode(s), ref.encode(s, [], []), JSON.stringify(s));
});

test('exact ids on State of the Union addresses (1.3 MB)', () => {
  const texts = sotuTexts().filter((_, i) => i % 8 === 0);
  for (const t of texts) {
    const ours = gpt2.encodeToArray(t);
    const theirs = ref.encode(t);
    assert.equal(ours.length, theirs.length);
    assert.ok(ours.every((x, i) => x === theirs[i]));
  }
});

test('exact ids on Moby Dick chapters', () => {
  for (const t of mobyTexts().slice(0, 60)) assert.deepEqual(gpt2.encode(t), ref.encode(t));
});

test('exact ids on random unicode soup', () => {
  const r = rng(7);
  const pools = [' ', '  ', '\n', '\t', "'s", "'ll", 'the', 'Ġ', '123', '4', '.', '!!', 'é', '日本', '😉', '\u200d', 'ß', 'Ω', '\r\n', '\u00a0'];
  for (let k = 0; k < 300; k++) {
    let s = '';
    const n = 1 + Math.floor(r() * 40);
    for (let i = 0; i < n; i++) s += pools[Math.floor(r() * pools.length)];
    assert.deepEqual(gpt2.encode(s), ref.encode(s), JSON.stringify(s));
  }
});

test('long whitespace and digit runs match and round-trip', () => {
  for (const s of [' '.repeat(3000) + 'x', '\n'.repeat(2000), ' \t'.repeat(1000) + 'end', '9'.repeat(2000), 'ab'.repeat(1500)]) {
    assert.deepEqual(gpt2.encode(s), ref.encode(s));
    assert.equal(gpt2.decode(gpt2.encode(s)), s);
  }
});

test('decode round-trips and matches js-tiktoken', () => {
  for (const s of CASES.filter((c) => !/[\ud800-\udfff]/.test(c.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))) {
    assert.equal(gpt2.decode(gpt2.encode(s)), s);
  }
  const ids = ref.encode(sotuTexts()[3]!);
  assert.equal(gpt2.decode(ids), ref.decode(ids));
});

test('special tokens: plain text by default, ids with allowSpecial', () => {
  const s = 'a<|endoftext|>b';
  assert.deepEqual(gpt2.encode(s), ref.encode(s, [], []));
  assert.deepEqual(gpt2.encode(s, { allowSpecial: true }), ref.encode(s, 'all'));
  assert.equal(gpt2.decode(gpt2.encode(s, { allowSpecial: true })), s);
});
