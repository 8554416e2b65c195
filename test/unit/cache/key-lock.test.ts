/**
 * Key locks: a second taker waits for the first, a live holder held past the timeout fails
 * the wait with E_LOCKED naming the holder's run, pid and host, and an abort stops the wait.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lockKey, readHolder } from '../../../src/cache/key-lock.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const KEY = 'a'.repeat(64);

test('the lock records its holder; a wait past the timeout fails with E_LOCKED naming it', async () => {
  const dir = await tempDir();
  const release = await lockKey(dir, KEY, { runId: 'run-A' });
  try {
    const holder = await readHolder(join(dir, KEY));
    assert.deepEqual([holder?.runId, holder?.pid, holder?.host], ['run-A', process.pid, hostname()]);
    const waits: unknown[] = [];
    const t = Date.now();
    const err = await lockKey(dir, KEY, { runId: 'run-B', timeoutMs: 300, onWait: (h) => waits.push(h?.runId) }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof TrainyardError, String(err));
    assert.equal(err.code, 'E_LOCKED');
    assert.match(err.message, new RegExp(`run run-A \\(pid ${process.pid} on ${hostname()}, since \\d{4}-`));
    assert.match(err.message, /Gave up after 0\.3 s/);
    assert.match(err.hint ?? '', /Wait for that run to finish/);
    assert.deepEqual(waits, ['run-A'], 'onWait is told once, with the holder');
    assert.ok(Date.now() - t >= 300 && Date.now() - t < 2000, `waited ${Date.now() - t} ms`);
  } finally {
    await release();
  }
});

test('a waiter takes the lock once the holder releases it, and records itself', async () => {
  const dir = await tempDir();
  const first = await lockKey(dir, KEY, { runId: 'run-A' });
  setTimeout(() => void first(), 250);
  const second = await lockKey(dir, KEY, { runId: 'run-B', timeoutMs: 5000 });
  assert.equal((await readHolder(join(dir, KEY)))?.runId, 'run-B');
  await second();
});

test('an abort stops the wait', async () => {
  const dir = await tempDir();
  const release = await lockKey(dir, KEY);
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(lockKey(dir, KEY, { signal: controller.signal, timeoutMs: 5000 }), /aborted while waiting for a lock/);
  } finally {
    await release();
  }
});

test('a lock left by a killed process on this host is taken over at once, with a notice', { timeout: 30_000 }, async () => {
  const dir = await tempDir();
  // A child takes the lock and is killed with SIGKILL: its lock folder stays behind.
  const { spawn } = await import('node:child_process');
  const src = new URL('../../../src/cache/key-lock.ts', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    `const { lockKey } = await import(${JSON.stringify(src)}); await lockKey(${JSON.stringify(dir)}, '${KEY}', { runId: 'run-dead' }); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => { if (String(d).includes('locked')) resolve(); }));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 2100)); // the lock folder is older than a freshly taken one
  const stale: unknown[] = [];
  const t = Date.now();
  const release = await lockKey(dir, KEY, { runId: 'run-B', timeoutMs: 10_000, onStale: (h) => stale.push(h.runId) });
  assert.ok(Date.now() - t < 5000, `took ${Date.now() - t} ms (proper-lockfile alone waits 15 s)`);
  assert.deepEqual(stale, ['run-dead']);
  assert.equal((await readHolder(join(dir, KEY)))?.runId, 'run-B');
  await release();
});
