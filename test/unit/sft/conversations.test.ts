/**
 * readConversations: chat (TRL) and instruction (alpaca) JSONL auto-detected per line, and
 * a bad line reported as file:line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainyardError } from '../../../src/errors/index.js';
import { instructionToMessages, parseConversations, readConversations } from '../../../src/sft/conversations.js';
import { tempDir } from '../../helpers/stage-tester.js';

test('both formats in one file, blank lines skipped, each conversation knows its line', async () => {
  const file = join(await tempDir(), 'data.jsonl');
  await writeFile(file, [
    JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] }),
    '',
    JSON.stringify({ instruction: 'Add the numbers.', input: '2 3', output: '5' }),
    JSON.stringify({ instruction: 'Name a whale.', output: 'Moby Dick', system: 'Be brief.' }),
    JSON.stringify({ instruction: 'Say hi.', input: '', output: 'hi' }),
  ].join('\n') + '\n');
  const cs = await readConversations(file);
  assert.deepEqual(cs.map((c) => c.where), [`${file}:1`, `${file}:3`, `${file}:4`, `${file}:5`]);
  assert.deepEqual(cs[0]!.messages, [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }]);
  assert.deepEqual(cs[1]!.messages, [{ role: 'user', content: 'Add the numbers.\n\n2 3' }, { role: 'assistant', content: '5' }]);
  assert.deepEqual(cs[2]!.messages, [
    { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name a whale.' }, { role: 'assistant', content: 'Moby Dick' },
  ]);
  assert.deepEqual(cs[3]!.messages[0], { role: 'user', content: 'Say hi.' });
});

test('instructionToMessages joins instruction and input with a blank line', () => {
  assert.deepEqual(instructionToMessages({ instruction: 'I', input: 'X', output: 'O' }), [
    { role: 'user', content: 'I\n\nX' }, { role: 'assistant', content: 'O' },
  ]);
});

const BAD: Array<[string, RegExp]> = [
  ['{"messages": [', /not JSON/],
  ['[1, 2]', /must be a JSON object/],
  ['{"text": "hello"}', /neither "messages" nor "instruction"\/"output" \(keys: text\)/],
  ['{"messages": []}', /"messages" is empty/],
  ['{"messages": "hi"}', /"messages" must be an array/],
  ['{"messages": [{"role": "user"}]}', /messages\[0\] must be \{"role": string, "content": string\}/],
  ['{"messages": [{"role": "robot", "content": "x"}, {"role": "assistant", "content": "y"}]}', /unknown role "robot"/],
  ['{"messages": [{"role": "user", "content": "x"}]}', /no assistant turn/],
  ['{"instruction": "x", "output": 5}', /"output" must be a string/],
  ['{"instruction": "x", "input": 3, "output": "y"}', /"input" must be a string/],
];

test('a bad line is an E_ARTIFACT naming file:line and what is wrong', () => {
  const good = JSON.stringify({ instruction: 'a', output: 'b' });
  for (const [line, problem] of BAD) {
    assert.throws(() => parseConversations(`${good}\n\n${line}\n`, 'data/chat.jsonl'), (e: unknown) => {
      assert.ok(e instanceof TrainyardError);
      assert.equal(e.code, 'E_ARTIFACT');
      assert.match(e.message, /^data\/chat\.jsonl:3: /);
      assert.match(e.message, problem);
      assert.equal(e.file, 'data/chat.jsonl');
      assert.deepEqual(e.loc, { line: 3, column: 1 });
      return true;
    }, line);
  }
});

test('a missing or empty file is refused', async () => {
  const dir = await tempDir();
  await assert.rejects(readConversations(join(dir, 'nope.jsonl')), (e: unknown) => e instanceof TrainyardError && e.code === 'E_FILE_NOT_FOUND');
  await writeFile(join(dir, 'empty.jsonl'), '\n\n');
  await assert.rejects(readConversations(join(dir, 'empty.jsonl')), (e: unknown) => e instanceof TrainyardError && /holds no conversations/.test(e.message));
});
