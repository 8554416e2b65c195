/**
 * Packing: segments and positions per window, no target across a sample boundary, best-fit
 * decreasing fills windows better than one sample per window, truncation, determinism.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from '../../../src/sft/encode.js';
import { packSamples, type Window } from '../../../src/sft/pack.js';
import { rng } from '../tokenizer/fixtures.js';

const PAD = 0;

/** A sample of `n` ids (base + 0, base + 1, …), the second half supervised. */
function sample(n: number, base: number, where = `s:${base}`): Sample {
  const ids = Int32Array.from({ length: n }, (_, i) => base + i);
  const supervised = Uint8Array.from({ length: n }, (_, i) => (i >= n / 2 ? 1 : 0));
  return { ids, supervised, roles: ids.length ? Array.from({ length: n }, (_, i) => (i >= n / 2 ? 'assistant' : 'user')) : [], where };
}

/** Checks every position of every window against the samples it holds. */
function checkWindows(windows: Window[], samples: Sample[], T: number): void {
  for (const w of windows) {
    assert.equal(w.x.length, T);
    let at = 0;
    w.samples.forEach((index, seg) => {
      const s = samples[index]!;
      const n = Math.min(s.ids.length, T + 1) - 1;
      for (let k = 0; k < n; k++, at++) {
        assert.equal(w.segment[at], seg);
        assert.equal(w.position[at], k, 'positions restart at each sample');
        assert.equal(w.x[at], s.ids[k]);
        assert.equal(w.y[at], s.supervised[k + 1] ? s.ids[k + 1] : -1, 'the target is the next token of the same sample');
      }
    });
    for (; at < T; at++) {
      assert.equal(w.segment[at], -1);
      assert.equal(w.x[at], PAD);
      assert.equal(w.y[at], -1);
    }
  }
}

test('one hand-checked window: two samples and padding', () => {
  const a = { ids: Int32Array.from([10, 11, 12, 13]), supervised: Uint8Array.from([0, 0, 1, 1]), roles: ['user', 'user', 'assistant', 'assistant'], where: 'a' };
  const b = { ids: Int32Array.from([20, 21, 22]), supervised: Uint8Array.from([0, 1, 1]), roles: ['user', 'assistant', 'assistant'], where: 'b' };
  const { windows, stats } = packSamples([a, b], 7, { packing: true, padId: PAD });
  assert.equal(windows.length, 1);
  const w = windows[0]!;
  assert.deepEqual([...w.x], [10, 11, 12, 20, 21, 0, 0]);
  assert.deepEqual([...w.y], [-1, 12, 13, 21, 22, -1, -1]);
  assert.deepEqual([...w.segment], [0, 0, 0, 1, 1, -1, -1]);
  assert.deepEqual([...w.position], [0, 1, 2, 0, 1, 0, 0]);
  assert.deepEqual(w.samples, [0, 1]);
  assert.deepEqual(stats, { samples: 2, truncated: 0, dropped: 0, windows: 1, tokens: 5, supervised: 4, padding: 2 });
});

test('no target crosses a sample boundary: a sample\'s last token never predicts the next sample\'s first', () => {
  const r = rng(3);
  const samples = Array.from({ length: 60 }, (_, i) => sample(2 + Math.floor(r() * 30), 1000 * (i + 1)));
  for (const s of samples) s.supervised.fill(1);
  const T = 64;
  const { windows } = packSamples(samples, T, { packing: true, padId: PAD });
  checkWindows(windows, samples, T);
  for (const w of windows) {
    for (let i = 0; i < T; i++) {
      if (w.y[i]! < 0) continue;
      // ids of sample j are 1000·(j+1) + k: a target from another sample would jump by ≥ 1000 - 31.
      assert.equal(w.y[i]! - w.x[i]!, 1);
    }
  }
});

test('best-fit decreasing packs several samples per window; without packing one each', () => {
  const r = rng(7);
  const samples = Array.from({ length: 200 }, (_, i) => sample(3 + Math.floor(r() * 40), 100 * i));
  const T = 128;
  const packed = packSamples(samples, T, { packing: true, padId: PAD });
  const plain = packSamples(samples, T, { packing: false, padId: PAD });
  checkWindows(packed.windows, samples, T);
  checkWindows(plain.windows, samples, T);
  assert.equal(plain.windows.length, 200);
  assert.ok(plain.windows.every((w) => w.samples.length === 1));
  assert.ok(packed.windows.length * 4 < plain.windows.length, `${packed.windows.length} windows`);
  assert.equal(packed.stats.tokens, plain.stats.tokens);
  assert.equal(packed.stats.supervised, plain.stats.supervised);
  assert.ok(packed.stats.padding < plain.stats.padding / 10);
  // Every sample lands in exactly one window.
  assert.deepEqual(packed.windows.flatMap((w) => w.samples).sort((a, b) => a - b), samples.map((_, i) => i));
  // The windows are nearly full: at most one more than the tokens strictly need.
  const fill = packed.windows.map((w) => w.segment.filter((s) => s >= 0).length);
  const total = fill.reduce((a, b) => a + b, 0);
  assert.ok(Math.ceil(total / T) >= packed.windows.length - 1, `${packed.windows.length} windows for ${total} tokens`);
});

test('a sample longer than T + 1 tokens keeps its start and is counted; T + 1 fits exactly', () => {
  const T = 8;
  const samples = [sample(9, 100), sample(20, 200), sample(1, 300), sample(2, 400)];
  const { windows, stats } = packSamples(samples, T, { packing: false, padId: PAD });
  assert.equal(stats.truncated, 1);
  assert.equal(stats.dropped, 1, 'a one-token sample has nothing to predict');
  assert.equal(stats.samples, 3);
  assert.deepEqual([...windows[0]!.x], [100, 101, 102, 103, 104, 105, 106, 107]);
  assert.equal(windows[0]!.y[7], 108);
  assert.deepEqual([...windows[1]!.x], [200, 201, 202, 203, 204, 205, 206, 207]);
  assert.equal(windows[1]!.y[7], -1, 'id 208 is in the unsupervised first half of that sample');
  checkWindows(windows, samples, T);
});

test('packing is deterministic', () => {
  const r = rng(11);
  const samples = Array.from({ length: 100 }, (_, i) => sample(2 + Math.floor(r() * 50), 100 * i));
  const a = packSamples(samples, 100, { packing: true, padId: PAD });
  const b = packSamples(samples, 100, { packing: true, padId: PAD });
  assert.deepEqual(a, b);
});
