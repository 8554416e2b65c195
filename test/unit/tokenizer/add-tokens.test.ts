/**
 * addSpecialTokens appends chat-template tokens after the existing ids, encodes each as one
 * id with allowSpecial, and carries them through tokenizer.json.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addSpecialTokens, charTokenizer, tokenizerFromJSON, trainBpe, type Tokenizer } from '../../../src/tokenizer/index.js';
import { mobyTexts } from './fixtures.js';

const SPECIALS = ['<|im_start|>', '<|im_end|>'];
const TEXT = '<|im_start|>user\nCall me Ishmael.<|im_end|>\n';

function checkAdded(base: Tokenizer, tok: Tokenizer): void {
  const n = base.vocabSize;
  assert.equal(tok.vocabSize, n + 2);
  assert.equal(tok.specialTokens.get('<|im_start|>'), n);
  assert.equal(tok.specialTokens.get('<|im_end|>'), n + 1);
  for (const [s, id] of base.specialTokens) assert.equal(tok.specialTokens.get(s), id, `${s} keeps its id`);
  const ids = tok.encode(TEXT, { allowSpecial: true });
  assert.equal(ids[0], n);
  assert.equal(ids.filter((id) => id === n + 1).length, 1);
  assert.ok(ids.every((id) => id < n || id === n || id === n + 1));
  assert.equal(tok.decode(ids), TEXT);
  // Ordinary text is encoded as before, and without allowSpecial the markers are plain text.
  assert.deepEqual(tok.encode('Call me Ishmael.'), base.encode('Call me Ishmael.'));
  assert.ok(!tok.encode(TEXT).includes(n));
  const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())) as object);
  assert.deepEqual(back.encode(TEXT, { allowSpecial: true }), ids);
  assert.equal(back.decode(ids), TEXT);
  assert.equal(back.vocabSize, n + 2);
}

test('byte-level BPE: the specials get ids vocabSize, vocabSize + 1 and survive tokenizer.json', async () => {
  const base = await trainBpe(mobyTexts().slice(0, 2), { vocabSize: 400 });
  const { tokenizer, added } = addSpecialTokens(base, SPECIALS);
  assert.deepEqual(added, SPECIALS);
  checkAdded(base, tokenizer);
});

test('char-level tokenizer: the same', () => {
  const base = charTokenizer(['Call me Ishmael.\nuser']);
  const { tokenizer, added } = addSpecialTokens(base, SPECIALS);
  assert.deepEqual(added, SPECIALS);
  checkAdded(base, tokenizer);
});

test('tokens already special keep their ids and are not listed; a regular token is promoted in place', () => {
  const base = charTokenizer(['ab'], { specialTokens: ['<|endoftext|>'] });
  const same = addSpecialTokens(base, ['<|endoftext|>']);
  assert.equal(same.tokenizer, base);
  assert.deepEqual(same.added, []);
  const r = addSpecialTokens(base, ['<|im_end|>', 'a', '<|im_end|>']);
  assert.deepEqual(r.added, ['<|im_end|>']);
  assert.equal(r.tokenizer.vocabSize, base.vocabSize + 1);
  assert.equal(r.tokenizer.specialTokens.get('a'), base.encode('a')[0]);
});
