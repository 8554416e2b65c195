/**
 * Prompt files for `trainyard label` and the feedback stage: {"prompt"} lines, JSON strings and
 * conversations (first user turn) all give prompts, repeats are asked once, and a bad line is
 * an E_ARTIFACT with file:line; the seeded train/validation split is stable and disjoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPrompts } from '../../../src/label/prompts.js';
import { splitLines } from '../../../src/label/judge.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

test('prompt lines: {"prompt"}, a JSON string, a conversation; repeats once', async () => {
  const file = join(await tempDir('trainyard-prompts-'), 'p.jsonl');
  await writeFile(file, ['{"prompt":"a"}', '"b"', '', '{"messages":[{"role":"system","content":"s"},{"role":"user","content":"c"},{"role":"assistant","content":"x"}]}', '{"prompt":"a"}'].join('\n'));
  assert.deepEqual(await readPrompts(file), ['a', 'b', 'c']);
});

test('a line without a prompt, and a missing file, are errors with a place', async () => {
  const file = join(await tempDir('trainyard-prompts-'), 'p.jsonl');
  await writeFile(file, '{"prompt":"a"}\n{"text":"b"}\n');
  await assert.rejects(readPrompts(file), (e: unknown) => e instanceof TrainyardError && e.code === 'E_ARTIFACT' && /p\.jsonl:2: no "prompt"/.test(e.message));
  await assert.rejects(readPrompts(file + '.nope'), (e: unknown) => e instanceof TrainyardError && e.code === 'E_FILE_NOT_FOUND');
});

test('splitLines: seeded, disjoint, validation share rounded and at least one', () => {
  const xs = [...Array(20).keys()];
  const a = splitLines(xs, 0.1, 7);
  assert.equal(a.validation.length, 2);
  assert.deepEqual([...a.train, ...a.validation].sort((x, y) => x - y), xs);
  assert.deepEqual(splitLines(xs, 0.1, 7), a);
  assert.equal(splitLines([1, 2, 3], 0.1, 7).validation.length, 1);
  assert.equal(splitLines([1], 0.5, 7).validation.length, 0);
  assert.equal(splitLines(xs, 0, 7).validation.length, 0);
});
