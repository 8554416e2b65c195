/**
 * Preference JSONL: the text form (with margins) and both chat forms are read; a bad line
 * names file:line; a preferences folder splits by file name; encoding keeps the prompt's end
 * and the completions' start; the batch pads on the right with targets on completions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePreferences, preferenceFiles, readPreferences } from '../../../src/preferences/data.js';
import { encodePair, fitPair } from '../../../src/preferences/encode.js';
import { toPairBatch } from '../../../src/preferences/batch.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { resolveTemplate } from '../../../src/sft/template.js';
import { addSpecialTokens, charTokenizer } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const ids = (...a: number[]) => Int32Array.from(a);

test('text and chat forms; margins; the implicit chat prompt is the shared prefix', async () => {
  const dir = await tempDir();
  const file = join(dir, 'p.jsonl');
  const user = { role: 'user', content: 'Hi' };
  await writeFile(file, [
    JSON.stringify({ prompt: 'Q:', chosen: ' yes', rejected: ' no', margin: 2 }),
    '',
    JSON.stringify({ chosen: [user, { role: 'assistant', content: 'Hello!' }], rejected: [user, { role: 'assistant', content: 'Go.' }] }),
    JSON.stringify({ prompt: [user], chosen: [{ role: 'assistant', content: 'a' }], rejected: [{ role: 'assistant', content: 'b' }] }),
  ].join('\n'));
  const [a, b, c] = await readPreferences(file);
  assert.deepEqual(a, { form: 'text', prompt: 'Q:', chosen: ' yes', rejected: ' no', margin: 2, where: `${file}:1` });
  assert.deepEqual(b, { form: 'chat', prompt: [user], chosen: [{ role: 'assistant', content: 'Hello!' }], rejected: [{ role: 'assistant', content: 'Go.' }], where: `${file}:3` });
  assert.equal(c!.form, 'chat');
});

for (const [line, problem] of [
  ['{"prompt": "a", "chosen": "b"}', /has no "rejected"/],
  ['not json', /not JSON/],
  ['{"prompt": "a", "chosen": "b", "rejected": 3}', /"rejected" must be a string/],
  ['{"prompt": "a", "chosen": "b", "rejected": "c", "margin": "x"}', /margin/],
  ['{"chosen": [{"role": "user", "content": "x"}], "rejected": [{"role": "bot", "content": "y"}]}', /unknown role "bot"/],
] as const) {
  test(`a bad line is E_ARTIFACT naming file:line (${problem})`, async () => {
    const file = join(await tempDir(), 'bad.jsonl');
    await writeFile(file, `{"prompt": "ok", "chosen": "a", "rejected": "b"}\n${line}\n`);
    await assert.rejects(readPreferences(file), (e: TrainyardError) => e.code === 'E_ARTIFACT' && e.message.startsWith(`${file}:2: `) && problem.test(e.message));
  });
}

test('preferenceFiles splits a folder by name', async () => {
  const dir = await tempDir();
  await mkdir(dir, { recursive: true });
  for (const n of ['train.jsonl', 'validation.jsonl', 'test.jsonl', 'notes.txt']) await writeFile(join(dir, n), '');
  assert.deepEqual(await preferenceFiles(dir), { train: [join(dir, 'train.jsonl')], validation: [join(dir, 'validation.jsonl')], test: [join(dir, 'test.jsonl')] });
});

test('fitPair keeps the prompt\'s end and the completions\' start, the same prompt for both', () => {
  const f = fitPair(ids(1, 2, 3, 4, 5, 6), ids(7, 8, 9, 10), ids(11), 6, 3);
  assert.deepEqual([[...f.prompt], [...f.chosen], [...f.rejected], f.truncated], [[4, 5, 6], [7, 8, 9], [11], true]);
  const g = fitPair(ids(1, 2), ids(3), ids(4, 5), 6, 3);
  assert.deepEqual([[...g.prompt], [...g.chosen], [...g.rejected], g.truncated], [[1, 2], [3], [4, 5], false]);
});

test('encodePair: text pieces; chat through the template, the completion after the generation prompt', () => {
  const t = resolveTemplate('chatml');
  const { tokenizer: tok } = addSpecialTokens(charTokenizer(['Q: yes no Hi Hello! Go. user assistant system\n']), t.specialTokens);
  const e = encodePair(tok, { form: 'text', prompt: 'Q:', chosen: ' yes', rejected: ' no', where: 'x:1' }, { maxLength: 32 });
  assert.equal(tok.decode([...e.prompt]), 'Q:');
  assert.equal(tok.decode([...e.chosen]), ' yes');
  const c = encodePair(tok, { form: 'chat', prompt: [{ role: 'user', content: 'Hi' }], chosen: [{ role: 'assistant', content: 'Hello!' }], rejected: [{ role: 'assistant', content: 'Go.' }], where: 'x:2' }, { maxLength: 64, template: t });
  assert.match(tok.decode([...c.prompt]), /<\|im_start\|>assistant\n$/);
  assert.match(tok.decode([...c.chosen]), /^Hello!<\|im_end\|>/);
});

test('toPairBatch: chosen rows then rejected rows, right-padded, last-token index, completion targets only', () => {
  const pairs = [{ prompt: ids(1, 2), chosen: ids(3), rejected: ids(4, 5), margin: 0.5, where: '' }];
  const b = toPairBatch(pairs, [0], 0, Float32Array.from([-1, -2]));
  assert.deepEqual([b.rows, b.cols, [...b.x], [...b.last]], [2, 4, [1, 2, 3, 0, 1, 2, 4, 5], [2, 3]]);
  assert.deepEqual([...b.y], [-1, 3, -1, -1, -1, 4, 5, -1]);
  assert.deepEqual([[...b.completionTokens], [...b.margin], [...b.reference!]], [[1, 2], [0.5], [-1, -2]]);
});

test('ties and skips written by `trainyard label` are not training pairs', () => {
  const text = [
    JSON.stringify({ prompt: 'p', chosen: 'a', rejected: 'b' }),
    JSON.stringify({ prompt: 'p', chosen: 'a', rejected: 'b', tie: true }),
    JSON.stringify({ prompt: 'q', skipped: true }),
  ].join('\n');
  assert.equal(parsePreferences(text, 'prefs.jsonl').length, 1);
});
