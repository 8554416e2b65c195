/**
 * @fileoverview `trainyard compare [A] [B] [--rev REV] [--all] [--json]`: params and metrics
 * that differ between two runs (ids, `latest`, `previous`, `latest~N`; default previous vs
 * latest) or sweep trials (`mysweep#3`), or with `--rev`, between the lock file at a git
 * revision and the workspace's.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockPathFor, readLock } from '../../cache/lockfile.js';
import { Store } from '../../cache/store.js';
import { diffSnapshots, formatDiff, lockAtRev, snapshotFromLock, snapshotFromRun, type Snapshot } from '../../report/compare.js';
import { resolveRun, type RunRecord } from '../../report/history.js';
import { pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';
import { readState, sweepDir } from '../../sweep/state.js';
import { errors } from '../../errors/index.js';

/** A run ref, or `<sweep>#<trial>`: that trial's latest run. */
export async function runOrTrial(store: Store, ref: string, file: string): Promise<RunRecord> {
  const m = /^(.+)#(\d+)$/.exec(ref);
  if (!m) return resolveRun(store.runsDir(), ref, file);
  const [, name, n] = m;
  const state = await readState(sweepDir(store.root, name!));
  if (!state) {
    const all = join(store.root, 'sweeps');
    throw errors.sweepUnknown({ name: name!, known: existsSync(all) ? readdirSync(all) : [] });
  }
  const runId = state.trials[Number(n)]?.runIds.at(-1);
  if (!runId) throw errors.sweepTrialRef({ ref, count: state.trials.length });
  const run = await resolveRun(store.runsDir(), runId);
  return { ...run, runId: `${ref} (${run.runId})` };
}

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
    left = await snapshotFromRun(await runOrTrial(store, a ?? 'previous', file), store);
    right = await snapshotFromRun(await runOrTrial(store, b ?? 'latest', file), store);
  }
  const diff = diffSnapshots(left, right, { all: o.all === true });
  process.stdout.write((o.json ? JSON.stringify(diff, null, 2) : formatDiff(diff)) + '\n');
  return EXIT.OK;
}
