import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Store } from '../../../src/cache/store.js';
import { diffSnapshots, formatDiff, lockAtRev, snapshotFromLock, snapshotFromRun } from '../../../src/report/compare.js';
import { formatMetricsTable, listRuns, resolveRun, runMetrics } from '../../../src/report/history.js';
import { tempDir } from '../../helpers/stage-tester.js';

async function writeRun(runs: string, id: string, params: object, stages: object, pipeline = '/p/x.yaml'): Promise<void> {
  await mkdir(join(runs, id), { recursive: true });
  await writeFile(join(runs, id, 'run.json'), JSON.stringify({ runId: id, ok: true, pipeline, params, stages }));
}

async function manifest(store: Store, key: string, metrics: Record<string, number>): Promise<void> {
  await mkdir(store.entryDir(key), { recursive: true });
  await writeFile(join(store.entryDir(key), 'manifest.json'), JSON.stringify({ key, metrics }));
}

test('run history: latest/previous/prefix, cached stages read the store manifest, table shows ± stderr', async () => {
  const store = new Store(await tempDir());
  const runs = store.runsDir();
  const k1 = 'a'.repeat(64);
  await manifest(store, k1, { loss: 4.5 });
  await writeRun(runs, '20260101T000000-aaaaaa', { pretrain: { lr: 1e-3 } }, { pretrain: { status: 'done', key: k1, metrics: { loss: 4.5 } } });
  await writeRun(runs, '20260102T000000-bbbbbb', { pretrain: { lr: 1e-3 } }, { pretrain: { status: 'cached', key: k1, metrics: {} }, eval: { status: 'done', metrics: { bits_per_byte: 2.5, bits_per_byte_stderr: 0.01 } } });
  await writeRun(runs, '20260103T000000-cccccc', {}, {}, '/p/other.yaml');
  await mkdir(join(runs, '20260104T000000-dddddd')); // unfinished: no run.json
  assert.equal((await listRuns(runs, '/p/x.yaml')).length, 2);
  assert.equal((await resolveRun(runs, 'latest', '/p/x.yaml')).runId, '20260102T000000-bbbbbb');
  assert.equal((await resolveRun(runs, 'previous', '/p/x.yaml')).runId, '20260101T000000-aaaaaa');
  assert.equal((await resolveRun(runs, '20260101', '/p/x.yaml')).runId, '20260101T000000-aaaaaa');
  await assert.rejects(resolveRun(runs, 'latest~5', '/p/x.yaml'), (e: any) => e.code === 'E_USAGE');
  await assert.rejects(resolveRun(runs, '2026', '/p/x.yaml'), /ambiguous/);
  const m = await runMetrics(await resolveRun(runs, 'latest', '/p/x.yaml'), store);
  assert.deepEqual(m, { pretrain: { loss: 4.5 }, eval: { bits_per_byte: 2.5, bits_per_byte_stderr: 0.01 } });
  const t = formatMetricsTable(m);
  assert.match(t, /eval\s+bits_per_byte\s+2\.5 ± 0\.01/);
  assert.doesNotMatch(t, /bits_per_byte_stderr/);
});

test('compare: params and metrics that differ, as rows and JSON-ready objects', async () => {
  const store = new Store(await tempDir());
  const runs = store.runsDir();
  await writeRun(runs, '20260101T000000-aaaaaa', { pretrain: { lr: 1e-3, opt: { beta2: 0.99 } } }, { eval: { metrics: { bits_per_byte: 2.5, tokens: 100 } } });
  await writeRun(runs, '20260102T000000-bbbbbb', { pretrain: { lr: 3e-4, opt: { beta2: 0.99 } } }, { eval: { metrics: { bits_per_byte: 2.25, tokens: 100, 'lambada.acc': 0.1 } } });
  const a = await snapshotFromRun(await resolveRun(runs, 'previous'), store);
  const b = await snapshotFromRun(await resolveRun(runs, 'latest'), store);
  const d = diffSnapshots(a, b);
  assert.deepEqual(d.params, [{ stage: 'pretrain', param: 'lr', old: 1e-3, new: 3e-4 }]);
  assert.deepEqual(d.metrics, [
    { stage: 'eval', metric: 'bits_per_byte', old: 2.5, new: 2.25, change: -0.25 },
    { stage: 'eval', metric: 'lambada.acc', old: undefined, new: 0.1, change: undefined },
  ]);
  assert.equal(diffSnapshots(a, b, { all: true }).metrics.length, 3);
  assert.match(formatDiff(d), /pretrain\s+lr\s+0\.001\s+3\.000e-4/);
  assert.match(formatDiff(d), /bits_per_byte\s+2\.5\s+2\.25\s+-0\.25/);
});

test('compare --rev: the lock file at a git revision vs the workspace, metrics from store manifests', async () => {
  const dir = await tempDir();
  const store = new Store(join(dir, '.trainyard'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 't@t');
  git('config', 'user.name', 't');
  const lock = (key: string, lr: number) => stringify({ schema: 1, stages: { pretrain: { key, details: { type: 'pretrain', version: 1, params: { lr }, inputs: {}, deps: {} }, outputs: {} } } });
  const [k1, k2] = ['1'.repeat(64), '2'.repeat(64)];
  await manifest(store, k1, { val_loss: 3 });
  await manifest(store, k2, { val_loss: 2.5 });
  await writeFile(join(dir, 'x.lock'), lock(k1, 1e-3));
  git('add', 'x.lock');
  git('commit', '-qm', 'one');
  await writeFile(join(dir, 'x.lock'), lock(k2, 3e-4));
  const old = await snapshotFromLock('HEAD', await lockAtRev(join(dir, 'x.lock'), 'HEAD'), store);
  const { readLock } = await import('../../../src/cache/lockfile.js');
  const now = await snapshotFromLock('workspace', await readLock(join(dir, 'x.lock')), store);
  const d = diffSnapshots(old, now);
  assert.deepEqual(d.params, [{ stage: 'pretrain', param: 'lr', old: 1e-3, new: 3e-4 }]);
  assert.deepEqual(d.metrics, [{ stage: 'pretrain', metric: 'val_loss', old: 3, new: 2.5, change: -0.5 }]);
  await assert.rejects(lockAtRev(join(dir, 'x.lock'), 'nope~3'), (e: any) => e.code === 'E_USAGE');
});
