/**
 * watchPipeline on a real temp project (fixture plugin, real runner, real file events):
 * first run, an edit re-runs exactly the changed stage, a burst of saves is one run, a YAML
 * error is reported with its position and watching goes on, and a running stage made stale
 * is cancelled and run again (unless marked to finish).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine } from '../../../src/cli/engine.js';
import type { TrainyardError } from '../../../src/errors/index.js';
import type { RunSummary, StageEndInfo } from '../../../src/runner/lifecycle.js';
import { watchPipeline, type WatchRun } from '../../../src/watch/index.js';
import { TEST_PLUGIN, project } from '../../helpers/cli.js';

const yaml = (a: string, slow = 0, text = 'hi') => `
name: w
plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit, with: { text: ${a} } }
  b: { type: upper, inputs: { docs: a } }
  slow: { type: emit, with: { text: ${text}, sleep_ms: ${slow} } }
`;

interface Log { runs: Array<{ run: WatchRun; done: string[]; cached: string[]; summary?: RunSummary }>; errors: TrainyardError[][]; cancels: string[][]; changes: string[][]; idle: number }

async function start(dir: string, finish: string[] = []) {
  const log: Log = { runs: [], errors: [], cancels: [], changes: [], idle: 0 };
  const file = join(dir, 'pipeline.yaml');
  const waiters: Array<() => boolean> = [];
  const poke = () => { for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!()) waiters.splice(i, 1); };
  const handle = await watchPipeline({ file, load: () => loadEngine({ file }), debounceMs: 150, graceMs: 2000, finish, jobs: 2 }, {
    onRun: (run) => {
      const entry: Log['runs'][number] = { run, done: [], cached: [] };
      log.runs.push(entry);
      return {
        stageEnd: (i: StageEndInfo) => { if (i.status === 'done') entry.done.push(i.name); poke(); },
        stageCached: (n: string) => { entry.cached.push(n); poke(); },
        stageStart: () => poke(),
      };
    },
    onRunEnd: (s) => { log.runs.at(-1)!.summary = s; poke(); },
    onError: (e) => { log.errors.push(e); poke(); },
    onCancel: (s) => { log.cancels.push(s); poke(); },
    onChange: (f) => { log.changes.push(f); poke(); },
    onWatching: () => { log.idle++; poke(); },
  });
  const until = (cond: () => boolean, ms = 20_000) => new Promise<void>((resolve, reject) => {
    if (cond()) return resolve();
    const t = setTimeout(() => reject(new Error(`timed out; log: ${JSON.stringify({ ...log, runs: log.runs.map((r) => ({ ...r, run: r.run.iteration })) })}`)), ms);
    waiters.push(() => { if (!cond()) return false; clearTimeout(t); resolve(); return true; });
  });
  return { log, handle, file, until };
}

test('edits re-run exactly the changed stage; a save burst is one run; YAML errors are positioned and watching goes on', async () => {
  const dir = await project(yaml('one'));
  const { log, handle, file, until } = await start(dir);
  try {
    await until(() => log.idle === 1);
    assert.deepEqual(log.runs[0]!.done.sort(), ['a', 'b', 'slow']);

    // three quick saves, one run
    writeFileSync(file, yaml('two'));
    writeFileSync(file, yaml('three'));
    writeFileSync(file, yaml('four'));
    await until(() => log.idle === 2);
    assert.equal(log.runs.length, 2, JSON.stringify({ ...log, runs: log.runs.map((r) => r.done) }));
    assert.deepEqual(log.runs[1]!.run.trigger, [file]);
    assert.deepEqual(log.runs[1]!.done.sort(), ['a', 'b']);
    assert.deepEqual(log.runs[1]!.cached, ['slow']);

    writeFileSync(file, yaml('four').replace('slow:', 'a:')); // duplicate key on line 7
    await until(() => log.errors.length === 1);
    const e = log.errors[0]![0]!;
    assert.equal(e.code, 'E_YAML');
    assert.deepEqual([e.loc?.line, e.loc?.column], [7, 3]);
    assert.match(e.frame ?? '', /> 7 \|/);
    assert.match(e.file ?? '', /pipeline\.yaml$/);
    await until(() => log.idle === 3);
    assert.equal(log.runs.length, 2, 'no run on a broken file, but still watching');

    writeFileSync(file, yaml('four', 0, 'fixed'));
    await until(() => log.idle === 4);
    assert.deepEqual(log.runs[2]!.done, ['slow']);
    assert.deepEqual(log.runs[2]!.cached.sort(), ['a', 'b']);
  } finally {
    await handle.close();
  }
});

test('a running stage made stale is cancelled and re-run; one marked to finish is not', async () => {
  const dir = await project(yaml('one', 8000));
  const { log, handle, file, until } = await start(dir);
  try {
    await until(() => log.runs.length === 1 && log.runs[0]!.done.includes('b'));
    const t = Date.now();
    writeFileSync(file, yaml('one', 300, 'changed'));
    await until(() => log.cancels.length === 1);
    assert.deepEqual(log.cancels[0], ['slow']);
    await until(() => log.idle === 1);
    assert.ok(Date.now() - t < 6000, 'did not wait for the stale stage to finish');
    assert.equal(log.runs[0]!.summary?.ok, false);
    assert.deepEqual(log.runs.at(-1)!.done, ['slow']);
  } finally {
    await handle.close();
  }

  const dir2 = await project(yaml('one', 1500));
  const w = await start(dir2, ['slow']);
  try {
    await w.until(() => w.log.runs.length === 1 && w.log.runs[0]!.done.includes('b'));
    writeFileSync(w.file, yaml('one', 0, 'changed'));
    await w.until(() => w.log.idle === 1);
    assert.equal(w.log.cancels.length, 0);
    assert.deepEqual(w.log.runs[0]!.done.sort(), ['a', 'b', 'slow']);
    assert.equal(w.log.runs[0]!.summary?.ok, true);
    assert.deepEqual(w.log.runs[1]!.done, ['slow'], 'then re-run with the new options');
  } finally {
    await w.handle.close();
  }
});

test('only the stale stage is cancelled: a running stage the edit does not touch finishes in the same run', async () => {
  const two = (text: string) => `
name: w2
plugins: [${TEST_PLUGIN}]
stages:
  stale: { type: emit, with: { text: ${text}, sleep_ms: 6000 } }
  steady: { type: emit, with: { text: same, sleep_ms: 2500 } }
`;
  const dir = await project(two('one'));
  const { log, handle, file, until } = await start(dir);
  try {
    await new Promise((r) => setTimeout(r, 1200)); // both are running now
    writeFileSync(file, two('two'));
    await until(() => log.cancels.length === 1);
    assert.deepEqual(log.cancels[0], ['stale']);
    await until(() => log.runs.length >= 2 && log.idle >= 1, 30_000);
    assert.deepEqual(log.runs[0]!.done, ['steady'], 'the untouched stage finished in the cancelled run');
    assert.deepEqual(log.runs[1]!.done, ['stale']);
    assert.deepEqual(log.runs[1]!.cached, ['steady']);
  } finally {
    await handle.close();
  }
});
