/**
 * The label-mask report: overall and per-role shares, marked examples, the files it writes,
 * and the refusal of 0 % and 100 % supervised.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainyardError } from '../../../src/errors/index.js';
import { encodeConversation, type Sample } from '../../../src/sft/encode.js';
import { checkMaskShare, maskReport, writeMaskReport } from '../../../src/sft/mask-report.js';
import { resolveTemplate } from '../../../src/sft/template.js';
import { addSpecialTokens, charTokenizer } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';
import { CONVERSATIONS, tinyBpe } from './fixtures.js';

const tok = charTokenizer(['abc']);
const hand = (ids: number[], supervised: number[], roles: string[]): Sample =>
  ({ ids: Int32Array.from(ids), supervised: Uint8Array.from(supervised), roles, where: 'x:1' });

test('shares overall and per role, counted by hand', () => {
  const r = maskReport([
    hand([1, 2, 3, 1], [0, 0, 1, 1], ['user', 'user', 'assistant', 'assistant']),
    hand([2, 2], [0, 1], ['system', 'assistant']),
  ], tok, { examples: 1 });
  assert.equal(r.samples, 2);
  assert.equal(r.tokens, 6);
  assert.equal(r.supervised, 3);
  assert.equal(r.share, 0.5);
  assert.deepEqual(r.roles, [
    { role: 'user', tokens: 2, supervised: 0, share: 0 },
    { role: 'assistant', tokens: 3, supervised: 3, share: 1 },
    { role: 'system', tokens: 1, supervised: 0, share: 0 },
  ]);
  assert.deepEqual(r.examples, [{ where: 'x:1', text: 'ab«ca»' }]);
});

test('a real chatml conversation: examples mark the replies, files are written', async () => {
  const t = resolveTemplate('chatml');
  const { tokenizer } = addSpecialTokens(await tinyBpe(), t.specialTokens);
  const samples = CONVERSATIONS.map((c) => encodeConversation(tokenizer, t, c, { trainOn: 'assistant' }));
  const r = maskReport(samples, tokenizer, { examples: 5 });
  assert.equal(r.examples.length, 2);
  assert.equal(r.examples[1]!.text, '<|im_start|>user\nName the ship.<|im_end|>\n<|im_start|>assistant\n«The Pequod.<|im_end|>»\n');
  assert.ok(r.share > 0 && r.share < 0.5);
  assert.equal(r.roles.find((x) => x.role === 'user')!.share, 0);
  checkMaskShare(r);
  const dir = join(await tempDir(), 'report');
  await writeMaskReport(dir, r);
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'label-mask.json'), 'utf8')), JSON.parse(JSON.stringify(r)));
  const md = await readFile(join(dir, 'label-mask.md'), 'utf8');
  assert.match(md, /\| assistant \| \d+ \| \d+ \| \d+\.\d % \|/);
  assert.ok(md.includes('«The Pequod.<|im_end|>»'));
  assert.ok(md.includes('## chat.jsonl:2'));
});

test('0 % and 100 % supervised are refused with the option to change', () => {
  const none = maskReport([hand([1, 2], [0, 0], ['user', 'user'])], tok, { examples: 0 });
  assert.throws(() => checkMaskShare(none), (e: unknown) => e instanceof TrainyardError && e.code === 'E_ARTIFACT' && /none of the tokens/.test(e.message) && /train_on: all/.test(e.hint ?? ''));
  const all = maskReport([hand([1, 2], [1, 1], ['user', 'assistant'])], tok, { examples: 0 });
  assert.throws(() => checkMaskShare(all), (e: unknown) => e instanceof TrainyardError && /every token/.test(e.message) && /train_on: all/.test(e.hint ?? ''));
  checkMaskShare(all, { trainOn: 'all' }); // 100 % is what train_on: all asks for
  assert.throws(() => checkMaskShare(maskReport([], tok, { examples: 0 })), /none of the tokens/);
});
