/**
 * The label mask on real token ids: with a trained BPE plus the template's special tokens,
 * the supervised ids decode to exactly the assistant replies and their end-of-turn markers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainyardError } from '../../../src/errors/index.js';
import { encodeConversation, encodePrompt, missingSpecialTokens } from '../../../src/sft/encode.js';
import { renderChat, resolveTemplate } from '../../../src/sft/template.js';
import { addSpecialTokens } from '../../../src/tokenizer/index.js';
import { CONVERSATIONS, tinyBpe } from './fixtures.js';

const chatml = resolveTemplate('chatml');

/** Decoded runs of consecutive supervised ids. */
function supervisedRuns(ids: Int32Array, supervised: Uint8Array, decode: (ids: ArrayLike<number>) => string): string[] {
  const runs: string[] = [];
  for (let i = 0; i < ids.length;) {
    if (!supervised[i]) { i++; continue; }
    let j = i;
    while (j < ids.length && supervised[j]) j++;
    runs.push(decode(ids.subarray(i, j)));
    i = j;
  }
  return runs;
}

test('supervised ids decode to exactly the assistant replies + <|im_end|>', async () => {
  const { tokenizer: tok } = addSpecialTokens(await tinyBpe(), chatml.specialTokens);
  const c = CONVERSATIONS[0]!;
  const s = encodeConversation(tok, chatml, c, { trainOn: 'assistant' });
  assert.equal(s.where, 'chat.jsonl:1');
  assert.equal(s.ids.length, s.supervised.length);
  assert.equal(s.roles.length, s.ids.length);
  assert.equal(tok.decode(s.ids), renderChat(chatml, c.messages));
  assert.deepEqual(supervisedRuns(s.ids, s.supervised, (x) => tok.decode(x)), ['Ahab<|im_end|>', 'Ishmael, a sailor — «call me»<|im_end|>']);
  // Each marker is one id; the <|im_end|> closing a reply is supervised, the others are not.
  const end = tok.specialTokens.get('<|im_end|>')!, start = tok.specialTokens.get('<|im_start|>')!;
  const ends = [...s.ids.keys()].filter((i) => s.ids[i] === end);
  assert.equal(ends.length, 5);
  assert.deepEqual(ends.map((i) => s.supervised[i]), [0, 0, 1, 0, 1]);
  assert.ok([...s.ids.keys()].filter((i) => s.ids[i] === start).every((i) => s.supervised[i] === 0));
  // Roles per token: the header "<|im_start|>assistant\n" is assistant but not supervised.
  const assistantIds = [...s.ids.keys()].filter((i) => s.roles[i] === 'assistant');
  assert.ok(assistantIds.some((i) => !s.supervised[i]));
  assert.ok([...s.ids.keys()].every((i) => !s.supervised[i] || s.roles[i] === 'assistant'));
  assert.deepEqual(new Set(s.roles), new Set(['system', 'user', 'assistant']));
});

test('train_on all supervises every id', async () => {
  const { tokenizer: tok } = addSpecialTokens(await tinyBpe(), chatml.specialTokens);
  const s = encodeConversation(tok, chatml, CONVERSATIONS[1]!, { trainOn: 'all' });
  assert.ok(s.supervised.every((x) => x === 1));
});

test('a tokenizer without the template\'s special tokens is refused, naming them', async () => {
  const base = await tinyBpe();
  assert.deepEqual(missingSpecialTokens(base, chatml), ['<|im_start|>', '<|im_end|>']);
  assert.throws(() => encodeConversation(base, chatml, CONVERSATIONS[1]!, { trainOn: 'assistant' }),
    (e: unknown) => e instanceof TrainyardError && e.code === 'E_ARTIFACT' && /<\|im_start\|>, <\|im_end\|>/.test(e.message));
});

test('encodePrompt gives the ids of the training prefix up to the reply', async () => {
  const { tokenizer: tok } = addSpecialTokens(await tinyBpe(), chatml.specialTokens);
  const c = CONVERSATIONS[1]!;
  const s = encodeConversation(tok, chatml, c, { trainOn: 'assistant' });
  const prompt = encodePrompt(tok, chatml, c.messages.slice(0, 1));
  const firstTarget = s.supervised.indexOf(1);
  assert.deepEqual([...prompt], [...s.ids.subarray(0, firstTarget)]);
  assert.equal(tok.decode(prompt), '<|im_start|>user\nName the ship.<|im_end|>\n<|im_start|>assistant\n');
});
