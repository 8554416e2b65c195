import { test } from 'node:test';
import assert from 'node:assert/strict';
import { continuationRequest, rollingWindows, splitDocuments } from '../../../src/eval/windows.js';
import { planBatches } from '../../../src/eval/scorer.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => 100 + i);

test('rolling windows: lm-eval layout, every token scored exactly once, inputs ≤ block_size and aligned', () => {
  const ids = range(7);
  assert.deepEqual(rollingWindows(ids, 3, 0), [
    { input: [0, 100, 101], targets: [100, 101, 102] },
    { input: [102, 103, 104], targets: [103, 104, 105] },
    { input: [103, 104, 105], targets: [106] },
  ]);
  for (const [n, bs, ctx] of [[1, 4, 1], [50, 8, 1], [50, 8, 4], [64, 8, 8], [9, 16, 3]] as const) {
    const doc = range(n);
    const ws = rollingWindows(doc, bs, 0, ctx);
    assert.deepEqual(ws.flatMap((w) => w.targets), doc, `n=${n} bs=${bs} ctx=${ctx}`);
    const stream = [0, ...doc];
    for (const w of ws) {
      assert.ok(w.input.length <= bs && w.targets.length <= w.input.length);
      // input[j] is followed by the target it predicts in the stream.
      const start = stream.indexOf(w.input[0]!);
      for (let j = 0; j < w.targets.length; j++) assert.equal(stream[start + w.input.length - w.targets.length + j + 1], w.targets[j]);
    }
    // Every window after the first gives each scored token at least ctx tokens of context.
    for (const w of ws.slice(1)) assert.ok(w.input.length - w.targets.length + 1 >= ctx);
  }
});

test('rolling windows without a prefix token skip only the first token', () => {
  const ws = rollingWindows(range(5), 3, null);
  assert.deepEqual(ws.flatMap((w) => w.targets), range(5).slice(1));
  assert.deepEqual(ws[0]!.input, [100, 101, 102]);
  assert.deepEqual(rollingWindows([5], 3, null), []);
});

test('continuation request keeps the last block_size + 1 ids and scores the continuation', () => {
  assert.deepEqual(continuationRequest([1, 2, 3, 4, 5], [6, 7], 4), { input: [3, 4, 5, 6], targets: [6, 7] });
  assert.deepEqual(continuationRequest([1], [2], 8), { input: [1], targets: [2] });
});

test('splitDocuments cuts at end-of-text and drops empty documents', () => {
  assert.deepEqual(splitDocuments([0, 1, 2, 0, 0, 3], 0).map((d) => [...d]), [[1, 2], [3]]);
  assert.deepEqual(splitDocuments([1, 2], null).map((d) => [...d]), [[1, 2]]);
});

test('planBatches groups equal lengths only and covers every request once', () => {
  const reqs = [3, 5, 3, 3, 5, 1].map((n) => ({ input: range(n), targets: [1] }));
  const b = planBatches(reqs, 2);
  assert.deepEqual(b.flat().sort(), [0, 1, 2, 3, 4, 5]);
  for (const batch of b) assert.equal(new Set(batch.map((i) => reqs[i]!.input.length)).size, 1);
  assert.ok(b.every((x) => x.length <= 2));
});
