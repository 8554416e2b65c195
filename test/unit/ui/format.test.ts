import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bar, clip, downsample, duration, metric, rate, sparkline } from '../../../src/ui/format.js';

test('duration picks a readable unit', () => {
  assert.equal(duration(850), '850 ms');
  assert.equal(duration(12_340), '12.3 s');
  assert.equal(duration(245_000), '4m 05s');
  assert.equal(duration(3_720_000), '1h 02m');
  assert.equal(duration(-1), '—');
});

test('bar has a fixed width and eighth-block resolution', () => {
  assert.equal(bar(0, 8), '░░░░░░░░');
  assert.equal(bar(1, 8), '████████');
  assert.equal(bar(0.5, 8), '████░░░░');
  assert.equal(bar(0.5, 1), '▌');
  assert.equal(bar(1 / 8, 1), '▏');
  assert.equal(bar(2, 4), '████');
  for (const f of [0.01, 0.33, 0.77, 0.999]) assert.equal(bar(f, 13).length, 13);
});

test('sparkline scales between min and max; a decreasing loss goes down', () => {
  assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([5, 4, 3, 2, 1], 5), '█▆▅▃▁');
  assert.equal(sparkline([2, 2, 2], 3), '▄▄▄');
  assert.equal(sparkline([NaN, 1, 2], 5), '▁█');
  assert.equal(sparkline([], 5), '');
  assert.equal(sparkline([1, 2, 3, 4], 2), '▁█', 'keeps the last values');
});

test('downsample averages buckets and keeps the shape', () => {
  assert.deepEqual(downsample([1, 2, 3], 5), [1, 2, 3]);
  assert.deepEqual(downsample([1, 3, 5, 7, 9, 11], 3), [2, 6, 10]);
  const long = Array.from({ length: 1000 }, (_, i) => 1000 - i);
  const d = downsample(long, 40);
  assert.equal(d.length, 40);
  assert.ok(d.every((v, i) => i === 0 || v < d[i - 1]!));
});

test('metric, rate and clip', () => {
  assert.equal(metric(3.41234), '3.412');
  assert.equal(metric(0.00095), '9.50e-4');
  assert.equal(metric(12345), '12.3k');
  assert.equal(rate(31.62, 'steps'), '32 steps/s');
  assert.equal(rate(2.5, 'docs'), '2.50 docs/s');
  assert.equal(rate(undefined), '');
  assert.equal(clip('a  b\nc', 10), 'a b c');
  assert.equal(clip('abcdefghij', 5), 'abcd…');
});
