/**
 * The batched lock writer: at most one write per interval, queued entries are never lost,
 * and the final flush writes whatever is left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockEntry } from '../../../src/cache/lockfile.js';
import { LockWriter } from '../../../src/runner/lock-writer.js';

const entry = (key: string) => ({ key, details: {}, outputs: {} }) as unknown as LockEntry;

test('writes are batched to one per interval; the final flush writes the rest', async () => {
  const writes: string[][] = [];
  const w = new LockWriter('/x.lock', { intervalMs: 10_000, write: async (path, entries) => { assert.equal(path, '/x.lock'); writes.push(Object.keys(entries).sort()); } });
  w.set('a', entry('1'));
  await w.flushIfDue();
  w.set('b', entry('2'));
  await w.flushIfDue();
  assert.deepEqual(writes, [], 'nothing written within the interval');
  await w.flush();
  assert.deepEqual(writes, [['a', 'b']]);
  await w.flush();
  assert.deepEqual(writes, [['a', 'b']], 'an empty batch is not written');
});

test('once the interval has passed, flushIfDue writes', async () => {
  const writes: string[][] = [];
  const w = new LockWriter('/x.lock', { intervalMs: 0, write: async (_p, entries) => { writes.push(Object.keys(entries)); } });
  w.set('a', entry('1'));
  await w.flushIfDue();
  w.set('a', entry('2'));
  w.set('b', entry('3'));
  await w.flushIfDue();
  assert.deepEqual(writes, [['a'], ['a', 'b']]);
});

test('writes never overlap: a flush waits for the one in progress', async () => {
  let active = 0;
  let maxActive = 0;
  const w = new LockWriter('/x.lock', { intervalMs: 0, write: async () => { active++; maxActive = Math.max(maxActive, active); await new Promise((r) => setTimeout(r, 20)); active--; } });
  w.set('a', entry('1'));
  const p1 = w.flush();
  w.set('b', entry('2'));
  const p2 = w.flush();
  await Promise.all([p1, p2]);
  assert.equal(maxActive, 1);
});
