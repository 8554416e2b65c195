import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import tokenize from '../../../src/stages/tokenize/index.js';
import { readTokens, readTokensMeta } from '../../../src/artifacts/tokens.js';
import { loadTokenizer } from '../../../src/tokenizer/index.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { docsFixture, runStage, tempDir } from '../../helpers/stage-tester.js';
import { mobyTexts } from '../tokenizer/fixtures.js';

const train = mobyTexts().slice(0, 30);
const validation = mobyTexts().slice(30, 36);

async function splitFixture(): Promise<string> {
  const dir = await docsFixture([...train, ''], 'train');
  await docsFixture(validation, 'validation', dir);
  return dir;
}

/** Splits a token stream at `eot` into documents. */
function docsOf(ids: ArrayLike<number>, eot: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === eot) { out.push(cur); cur = []; } else cur.push(ids[i]!);
  }
  assert.equal(cur.length, 0, 'stream ends with EOT');
  return out;
}

test('bpe: trains on train, encodes every split with EOT after each document', async () => {
  const res = await runStage(tokenize, { options: { vocab_size: 1024 }, inputs: { docs: await splitFixture() }, threads: 2 });
  const out = res.outputs.tokens!;
  const meta = await readTokensMeta(out);
  assert.equal(meta.vocab_size, 1024);
  assert.equal(meta.dtype, 'uint16');
  assert.equal(meta.eot_id, 0);
  assert.equal(meta.tokenizer, 'tokenizer.json');
  const tok = await loadTokenizer(join(out, 'tokenizer.json'));
  for (const [split, texts] of [['train', train], ['validation', validation]] as const) {
    const ids = await readTokens(out, split);
    assert.equal(ids.length, meta.splits[split]);
    const docs = docsOf(ids, 0);
    assert.equal(docs.length, texts.length); // the empty train document is skipped
    docs.forEach((d, i) => assert.equal(tok.decode(d), texts[i]));
  }
  assert.equal(res.stats.docs_train, train.length);
  assert.equal(res.stats.tokens_validation, meta.splits.validation);
  assert.ok(Number(res.stats.bytes_per_token) > 2.5, String(res.stats.bytes_per_token));
  assert.ok(res.metrics.some((m) => m.name === 'bytes_per_token'));
  assert.ok(res.events.some((e) => e.type === 'progress'));
});

test('output does not depend on the thread count', async () => {
  const dir = await splitFixture();
  const a = await runStage(tokenize, { options: { vocab_size: 700 }, inputs: { docs: dir }, threads: 1 });
  const b = await runStage(tokenize, { options: { vocab_size: 700 }, inputs: { docs: dir }, threads: 2 });
  for (const f of ['train.bin', 'validation.bin', 'meta.json', 'tokenizer.json']) {
    assert.ok((await readFile(join(a.outputs.tokens!, f))).equals(await readFile(join(b.outputs.tokens!, f))), f);
  }
});

test('pretrained gpt2 gives js-tiktoken ids and EOT 50256', async () => {
  const docs = await docsFixture(validation.slice(0, 3));
  const res = await runStage(tokenize, { options: { mode: 'pretrained', pretrained: 'gpt2' }, inputs: { docs } });
  const ids = await readTokens(res.outputs.tokens!, 'all');
  const ref = getEncoding('gpt2');
  assert.deepEqual(Array.from(ids), validation.slice(0, 3).flatMap((t) => [...ref.encode(t), 50256]));
  assert.equal((await readTokensMeta(res.outputs.tokens!)).vocab_size, 50257);
});

test('pretrained path resolves against cwd; char mode', async () => {
  const cwd = await tempDir();
  const docs = await docsFixture(['hello world', 'wide 😉']);
  const char = await runStage(tokenize, { options: { mode: 'char' }, inputs: { docs } });
  const ids = Array.from(await readTokens(char.outputs.tokens!, 'all'));
  const tok = await loadTokenizer(join(char.outputs.tokens!, 'tokenizer.json'));
  assert.equal(tok.decode(ids), 'hello world<|endoftext|>wide 😉<|endoftext|>');
  assert.equal(ids.length, 11 + 1 + 6 + 1);
  await writeFile(join(cwd, 'tok.json'), JSON.stringify(tok.toJSON()));
  const again = await runStage(tokenize, { options: { mode: 'pretrained', pretrained: 'tok.json' }, inputs: { docs }, cwd });
  assert.deepEqual(Array.from(await readTokens(again.outputs.tokens!, 'all')), ids);
});

test('user mistakes are TrainyardErrors', async () => {
  const docs = await docsFixture(['x']);
  const code = (c: string) => (e: unknown) => e instanceof TrainyardError && e.code === c;
  await assert.rejects(runStage(tokenize, { options: { mode: 'pretrained' }, inputs: { docs } }), code('E_SCHEMA'));
  await assert.rejects(runStage(tokenize, { options: { train_on: 'nope' }, inputs: { docs } }), code('E_SCHEMA'));
  await assert.rejects(runStage(tokenize, { options: { mode: 'pretrained', pretrained: 'missing.json' }, inputs: { docs } }), code('E_FILE_NOT_FOUND'));
});
