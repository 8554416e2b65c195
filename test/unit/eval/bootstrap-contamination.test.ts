import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapStderr, meanStderr, weightedRatio } from '../../../src/eval/bootstrap.js';
import { chooseN, contamination, forEachNgram } from '../../../src/eval/contamination.js';
import { lastWordItems } from '../../../src/eval/cloze.js';
import { paragraphs } from './fixtures.js';

test('bootstrap stderr of a mean matches the analytic sqrt(p(1-p)/n) and is seeded', () => {
  const xs = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // p = 0.25
  const se = meanStderr(xs, { iters: 2000, seed: 5 });
  const analytic = Math.sqrt(0.25 * 0.75 / 400);
  assert.ok(Math.abs(se - analytic) / analytic < 0.1, `${se} vs ${analytic}`);
  assert.equal(meanStderr(xs, { iters: 200, seed: 9 }), meanStderr(xs, { iters: 200, seed: 9 }));
  assert.equal(meanStderr([1]), 0);
  const num = [1, 2, 3], den = [1, 1, 2];
  assert.equal(weightedRatio(num, den, Uint32Array.from([1, 1, 1])), 6 / 4);
  assert.ok(bootstrapStderr(3, (w) => weightedRatio(num, den, w)) > 0);
});

test('contamination: copied training passages are found, unseen text is not; n shrinks for short items', async () => {
  const train = paragraphs(1, 2);
  const seen = train.filter((p) => p.split(/\s+/).length > 30).slice(0, 3);
  const unseen = paragraphs(20, 20).filter((p) => p.split(/\s+/).length > 30).slice(0, 3);
  const res = await contamination([...seen, ...unseen], train, 13);
  assert.deepEqual(res.contaminated, [0, 1, 2]);
  assert.equal(res.itemRate, 0.5);
  assert.ok(res.rate > 0.4 && res.rate < 0.6, `rate ${res.rate}`);
  let count = 0;
  forEachNgram('a b c d e', 3, () => count++);
  assert.equal(count, 3);
  assert.equal(chooseN(['one two three four five six seven eight nine ten'], 13), 5);
  assert.equal(chooseN(seen, 13), 13);
});

test('last-word items: paragraph context and its final word, punctuation dropped', () => {
  const items = lastWordItems(['Call me Ishmael. Some years ago, never mind how long precisely, having little money in my purse, I thought I would sail about and see the watery world.\n\nToo short here.'], { minWords: 10 });
  assert.equal(items.length, 1);
  assert.equal(items[0]!.target, 'world');
  assert.ok(items[0]!.context.endsWith('see the watery'));
  assert.equal(lastWordItems(paragraphs(1, 3), { maxItems: 5 }).length, 5);
});
