/**
 * The tokenizer of a GPT-2 folder: the hub's tokenizer.json layout loads and encodes as
 * GPT-2 does; an older folder with only vocab.json + merges.txt converts to a tokenizer.json
 * that gives the same ids (in ours and in Hugging Face's tokenizers.js); neither is an error
 * that names what is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { TrainyardError } from '../../../src/errors/index.js';
import { readFolderTokenizer } from '../../../src/model/hf-tokenizer.js';
import { loadTokenizer, tokenizerFromJSON } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const SAMPLE = "Hello world! It's  a test\n\n\t 1234567 日本語 😉 <|endoftext|> done";

/** GPT-2's tokenizer.json as the hub has it (`tokenizers` layout: "" prefixes, normalized added token). */
async function hubGpt2(): Promise<{ json: Record<string, any>; vocab: Record<string, number>; merges: string[] }> {
  const j = (await loadTokenizer('gpt2')).toJSON() as Record<string, any>;
  const json = {
    ...j,
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    model: { ...j.model, continuing_subword_prefix: '', end_of_word_suffix: '' },
  };
  return { json, vocab: j.model.vocab, merges: j.model.merges };
}

test('a hub-style GPT-2 tokenizer.json loads and encodes exactly as GPT-2', async () => {
  const gpt2 = await loadTokenizer('gpt2');
  const dir = await tempDir();
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify((await hubGpt2()).json));
  const { json, source } = await readFolderTokenizer(dir);
  assert.equal(source, 'tokenizer.json');
  const tok = tokenizerFromJSON(json);
  assert.equal(tok.vocabSize, 50257);
  assert.deepEqual(tok.encode(SAMPLE), gpt2.encode(SAMPLE));
  assert.deepEqual(tok.encode(SAMPLE, { allowSpecial: true }), gpt2.encode(SAMPLE, { allowSpecial: true }));
});

test('vocab.json + merges.txt (older uploads) convert to the same tokenizer, here and in tokenizers.js', async () => {
  const gpt2 = await loadTokenizer('gpt2');
  const { vocab, merges } = await hubGpt2();
  const dir = await tempDir();
  await writeFile(join(dir, 'vocab.json'), JSON.stringify(vocab));
  await writeFile(join(dir, 'merges.txt'), `#version: 0.2\n${merges.join('\n')}\n`);
  const { json, source } = await readFolderTokenizer(dir);
  assert.equal(source, 'vocab.json + merges.txt');
  const tok = tokenizerFromJSON(json);
  assert.equal(tok.eotId, 50256);
  assert.deepEqual(tok.encode(SAMPLE, { allowSpecial: true }), gpt2.encode(SAMPLE, { allowSpecial: true }));
  const hf = new HfTokenizer(json as never, {});
  assert.deepEqual(hf.encode(SAMPLE, { add_special_tokens: false }).ids, gpt2.encode(SAMPLE, { allowSpecial: true }));
});

test('no tokenizer.json and no vocab.json + merges.txt: E_ARTIFACT naming what is missing', async () => {
  const dir = await tempDir();
  const fails = (re: RegExp) => (e: unknown) => e instanceof TrainyardError && e.code === 'E_ARTIFACT' && re.test(e.message);
  await assert.rejects(readFolderTokenizer(dir), fails(/has no tokenizer\.json \(nor vocab\.json \+ merges\.txt to build one from\)/));
  await writeFile(join(dir, 'vocab.json'), '{"a": 0}');
  await assert.rejects(readFolderTokenizer(dir), fails(/has no tokenizer\.json \(and .*merges\.txt is missing to build one\)/));
  await writeFile(join(dir, 'tokenizer.json'), '{"model": {"type": "Unigram", "vocab": []}}');
  await assert.rejects(readFolderTokenizer(dir), fails(/model type "Unigram" is not supported/));
});
