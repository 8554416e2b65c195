/**
 * Interop: Hugging Face's own JS tokenizer (@huggingface/tokenizers, the engine of
 * transformers.js) loads our tokenizer.json files and gives the same ids and text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { charTokenizer, loadTokenizer, trainBpe, type Tokenizer } from '../../../src/tokenizer/index.js';
import { mobyTexts } from './fixtures.js';

const sample = mobyTexts()[3]!.slice(0, 20_000) + " 日本語 😉 It's   x\n\n\t 1234567 ";

function check(tok: Tokenizer): void {
  const hf = new HfTokenizer(JSON.parse(JSON.stringify(tok.toJSON())), {});
  const ours = tok.encode(sample);
  assert.deepEqual(hf.encode(sample, { add_special_tokens: false }).ids, ours);
  assert.equal(hf.decode(ours), tok.decode(ours));
}

test('GPT-2 tokenizer.json loads in HF tokenizers.js with identical ids', async () => check(await loadTokenizer('gpt2')));
test('trained BPE tokenizer.json loads in HF tokenizers.js with identical ids', async () => {
  check(await trainBpe(mobyTexts().slice(0, 20), { vocabSize: 900 }));
});
test('char-level tokenizer.json loads in HF tokenizers.js with identical ids', () => check(charTokenizer(mobyTexts().slice(0, 20))));
