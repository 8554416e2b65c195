import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { charTokenizer, loadTokenizer, tokenizerFromJSON, trainBpe } from '../../../src/tokenizer/index.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { tempDir } from '../../helpers/stage-tester.js';
import { mobyTexts, sotuTexts } from './fixtures.js';

type Hf = { model: { type: string; vocab: Record<string, number>; merges: string[] }; pre_tokenizer: { type: string }; decoder: { type: string }; added_tokens: Array<{ id: number; content: string; special: boolean }> };

test('GPT-2 tokenizer.json has HF layout and survives a file round trip', async () => {
  const gpt2 = await loadTokenizer('gpt2');
  const j = gpt2.toJSON() as Hf;
  assert.equal(j.model.type, 'BPE');
  assert.equal(j.pre_tokenizer.type, 'ByteLevel');
  assert.equal(j.decoder.type, 'ByteLevel');
  assert.equal(j.model.vocab['Ġthe'], 262);
  assert.equal(j.model.vocab['<|endoftext|>'], 50256);
  assert.equal(j.model.merges[0], 'Ġ t'); // GPT-2 merges.txt starts "Ġ t", "Ġ a", "h e"
  assert.deepEqual(j.model.merges.slice(0, 3), ['Ġ t', 'Ġ a', 'h e']);
  assert.equal(j.model.merges.length, 50000);
  assert.deepEqual(j.added_tokens.map((a) => [a.id, a.content, a.special]), [[50256, '<|endoftext|>', true]]);
  const path = join(await tempDir(), 'tokenizer.json');
  await writeFile(path, JSON.stringify(j));
  const back = await loadTokenizer(path);
  const text = sotuTexts()[5]!;
  assert.deepEqual(back.encode(text), gpt2.encode(text));
  assert.equal(back.eotId, 50256);
});

test('trained tokenizer round-trips through JSON, merges as strings or pairs', async () => {
  const tok = await trainBpe(mobyTexts().slice(0, 20), { vocabSize: 700 });
  const j = JSON.parse(JSON.stringify(tok.toJSON())) as Hf;
  const text = mobyTexts()[30]!;
  assert.deepEqual(tokenizerFromJSON(j).encode(text), tok.encode(text));
  const pairs = { ...j, model: { ...j.model, merges: j.model.merges.map((m) => m.split(' ')) } };
  assert.deepEqual(tokenizerFromJSON(pairs).encode(text), tok.encode(text));
  assert.equal(JSON.stringify(tokenizerFromJSON(j).toJSON()), JSON.stringify(j));
});

test('add_prefix_space is honoured', async () => {
  const j = (await loadTokenizer('gpt2')).toJSON() as Hf & { pre_tokenizer: { add_prefix_space: boolean } };
  const withPrefix = tokenizerFromJSON({ ...j, pre_tokenizer: { ...j.pre_tokenizer, add_prefix_space: true } });
  assert.deepEqual(withPrefix.encode('Hello'), [18435]); // "ĠHello"
});

test('char-level tokenizer: sorted code points, specials first, JSON round trip', () => {
  const tok = charTokenizer(['hello 😉', 'world\n']);
  assert.equal(tok.eotId, 0);
  assert.deepEqual(tok.encode('hold'), [5, 7, 6, 3]); // ids follow the sorted characters
  const chars = ['<|endoftext|>', '\n', ' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w', '😉'];
  assert.equal(tok.vocabSize, chars.length);
  assert.deepEqual(tok.encode('hello 😉'), [5, 4, 6, 6, 7, 2, 10]);
  assert.equal(tok.decode(tok.encode('world\nhello 😉')), 'world\nhello 😉');
  assert.deepEqual(tok.encode('hex!'), [5, 4]); // unknown characters are dropped
  assert.deepEqual(tok.encode('o<|endoftext|>o', { allowSpecial: true }), [7, 0, 7]);
  const j = tok.toJSON() as Hf;
  assert.equal(j.model.type, 'BPE');
  assert.deepEqual(j.model.merges, []);
  assert.equal(j.decoder.type, 'Fuse');
  assert.equal(j.pre_tokenizer, null);
  const back = tokenizerFromJSON(JSON.parse(JSON.stringify(j)));
  assert.deepEqual(back.encode('hello world'), tok.encode('hello world'));
  assert.equal(back.eotId, 0);
});

test('unsupported or broken files fail with a TrainyardError', async () => {
  const isErr = (code: string) => (e: unknown) => e instanceof TrainyardError && e.code === code;
  assert.throws(() => tokenizerFromJSON({ model: { type: 'Unigram', vocab: [] } }), isErr('E_ARTIFACT'));
  assert.throws(() => tokenizerFromJSON({}), isErr('E_ARTIFACT'));
  assert.throws(() => tokenizerFromJSON({ model: { type: 'BPE', vocab: { a: 0 }, merges: ['a b'] }, pre_tokenizer: { type: 'ByteLevel' } }), isErr('E_ARTIFACT'));
  await assert.rejects(loadTokenizer('/nonexistent/tokenizer.json'), isErr('E_FILE_NOT_FOUND'));
  const path = join(await tempDir(), 'bad.json');
  await writeFile(path, '{not json');
  await assert.rejects(loadTokenizer(path), isErr('E_ARTIFACT'));
});
