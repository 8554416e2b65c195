/**
 * The preference log behind `trainyard label`: answers are appended one line each (TRL pairs,
 * ties marked, skips kept), a reopened file knows which prompts are done, a half-written last
 * line is truncated with a notice, and a broken complete line is an E_ARTIFACT with file:line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPreferenceLog } from '../../../src/label/log.js';
import { answerLine, promptOf } from '../../../src/label/records.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const pair = (prompt: string) => ({ prompt, left: `${prompt}-L`, right: `${prompt}-R` });
const lines = async (f: string) => (await readFile(f, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('answers become TRL lines: left/right pick chosen, a tie is marked, a skip keeps only the prompt', async () => {
  const file = join(await tempDir('trainyard-label-'), 'sub', 'prefs.jsonl');
  const log = await openPreferenceLog(file);
  assert.equal(log.done.size, 0);
  assert.equal(log.repaired, null);
  await log.append(answerLine(pair('a'), 'left'));
  await log.append(answerLine(pair('b'), 'right'));
  await log.append(answerLine(pair('c'), 'tie'));
  await log.append(answerLine(pair('d'), 'skip'));
  assert.deepEqual([...log.done], ['a', 'b', 'c', 'd']);
  // on disk before close: every append is written through
  assert.deepEqual(await lines(file), [
    { prompt: 'a', chosen: 'a-L', rejected: 'a-R' },
    { prompt: 'b', chosen: 'b-R', rejected: 'b-L' },
    { prompt: 'c', chosen: 'c-L', rejected: 'c-R', tie: true },
    { prompt: 'd', skipped: true },
  ]);
  await log.close();
});

test('chat pairs use the conversational form and still name their prompt', () => {
  const line = answerLine({ ...pair('hi'), chat: true }, 'right');
  assert.deepEqual(line, {
    chosen: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hi-R' }],
    rejected: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hi-L' }],
  });
  assert.equal(promptOf(line), 'hi');
});

test('reopening resumes: the prompts already answered or skipped are done, new answers append after them', async () => {
  const file = join(await tempDir('trainyard-label-'), 'prefs.jsonl');
  let log = await openPreferenceLog(file);
  await log.append(answerLine(pair('a'), 'left'));
  await log.append(answerLine(pair('b'), 'skip'));
  await log.close();
  log = await openPreferenceLog(file);
  assert.deepEqual([...log.done].sort(), ['a', 'b']);
  assert.equal(log.lines, 2);
  await log.append(answerLine(pair('c'), 'right'));
  await log.close();
  assert.deepEqual((await lines(file)).map((l) => l.prompt), ['a', 'b', 'c']);
});

test('a half-written last line is truncated to the last complete line, with a notice', async () => {
  const file = join(await tempDir('trainyard-label-'), 'prefs.jsonl');
  const good = JSON.stringify(answerLine(pair('a'), 'left')) + '\n';
  await writeFile(file, good + '{"prompt":"b","cho');
  const log = await openPreferenceLog(file);
  assert.match(log.repaired ?? '', /prefs\.jsonl: the last line was cut off mid-write \(18 bytes\); truncated to the last complete line/);
  assert.deepEqual([...log.done], ['a']);
  assert.equal(await readFile(file, 'utf8'), good);
  await log.append(answerLine(pair('b'), 'left'));
  await log.close();
  assert.deepEqual((await lines(file)).map((l) => l.prompt), ['a', 'b']);
  // a file that ends cleanly is left alone
  const again = await openPreferenceLog(file);
  assert.equal(again.repaired, null);
  await again.close();
});

test('a cut-off first (only) line leaves an empty file', async () => {
  const file = join(await tempDir('trainyard-label-'), 'prefs.jsonl');
  await writeFile(file, '{"prompt":"é');
  const log = await openPreferenceLog(file);
  assert.match(log.repaired ?? '', /\(13 bytes\)/);
  assert.equal(log.done.size, 0);
  await log.close();
  assert.equal(await readFile(file, 'utf8'), '');
});

test('a malformed complete line is E_ARTIFACT naming file:line', async () => {
  const file = join(await tempDir('trainyard-label-'), 'prefs.jsonl');
  await writeFile(file, JSON.stringify(answerLine(pair('a'), 'left')) + '\n');
  await appendFile(file, '{"chosen": "x"}\n');
  await assert.rejects(openPreferenceLog(file), (e: unknown) => e instanceof TrainyardError && e.code === 'E_ARTIFACT' && /prefs\.jsonl:2: no "prompt"/.test(e.message));
});
