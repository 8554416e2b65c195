/**
 * @fileoverview `trainyard compare [A] [B] [--rev REV] [--all] [--json]`: params and metrics
 * that differ between two runs (ids, `latest`, `previous`, `latest~N`; default previous vs
 * latest), or with `--rev`, between the lock file at a git revision and the workspace's.
 */
import { resolve } from 'node:path';
import { lockPathFor, readLock } from '../../cache/lockfile.js';
import { Store } from '../../cache/store.js';
import { diffSnapshots, formatDiff, lockAtRev, snapshotFromLock, snapshotFromRun, type Snapshot } from '../../report/compare.js';
import { resolveRun } from '../../report/history.js';
import { pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function compareCommand(a: string | undefined, b: string | undefined, o: CommonOptions & { rev?: string; all?: boolean; json?: boolean }): Promise<number> {
  const file = resolve(pipelinePath(o.file));
  const store = new Store(storeRoot(file, o.store));
  let left: Snapshot;
  let right: Snapshot;
  if (o.rev) {
    const lockPath = lockPathFor(file);
    left = await snapshotFromLock(o.rev, await lockAtRev(lockPath, o.rev), store);
    right = await snapshotFromLock('workspace', await readLock(lockPath), store);
  } else {
    left = await snapshotFromRun(await resolveRun(store.runsDir(), a ?? 'previous', file), store);
    right = await snapshotFromRun(await resolveRun(store.runsDir(), b ?? 'latest', file), store);
  }
  const diff = diffSnapshots(left, right, { all: o.all === true });
  process.stdout.write((o.json ? JSON.stringify(diff, null, 2) : formatDiff(diff)) + '\n');
  return EXIT.OK;
}
