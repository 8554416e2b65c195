/**
 * @fileoverview Comparing two runs, in the spirit of `dvc params diff` / `dvc metrics diff`:
 * the stage options that differ and every metric with its old value, new value and change.
 * A side is a run record, or a lock file (the workspace's, or `git show REV:<lock>`) whose
 * stage keys give metrics from the store manifests.
 *
 *   const a = await snapshotFromRun(await resolveRun(dir, 'previous'), store);
 *   const b = await snapshotFromRun(await resolveRun(dir, 'latest'), store);
 *   console.log(formatDiff(diffSnapshots(a, b)));
 */
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { LockData } from '../cache/lockfile.js';
import type { Store } from '../cache/store.js';
import { errors } from '../errors/index.js';
import { flattenParams } from '../util/flatten.js';
import { fmt, manifestMetrics, runMetrics, table, type RunRecord, type StageMetrics } from './history.js';

export interface Snapshot {
  /** `run 2026…`, `workspace`, `HEAD~1`. */
  label: string;
  params: Record<string, Record<string, unknown>>;
  metrics: StageMetrics;
}

export interface ParamDiff { stage: string; param: string; old?: unknown; new?: unknown }
export interface MetricDiff { stage: string; metric: string; old?: number; new?: number; change?: number }
export interface SnapshotDiff { a: string; b: string; params: ParamDiff[]; metrics: MetricDiff[] }

export async function snapshotFromRun(run: RunRecord, store?: Store): Promise<Snapshot> {
  return { label: `run ${run.runId}`, params: run.params, metrics: await runMetrics(run, store) };
}

export async function snapshotFromLock(label: string, lock: LockData, store: Store): Promise<Snapshot> {
  const params: Snapshot['params'] = {};
  const metrics: StageMetrics = {};
  for (const [name, e] of Object.entries(lock.stages ?? {})) {
    params[name] = e.details?.params ?? {};
    const m = await manifestMetrics(store, e.key);
    if (Object.keys(m).length) metrics[name] = m;
  }
  return { label, params, metrics };
}

/** The lock file as committed at a git revision (`git show REV:./<file>` in its folder). */
export async function lockAtRev(lockPath: string, rev: string): Promise<LockData> {
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${rev}:./${basename(lockPath)}`], { cwd: dirname(lockPath), maxBuffer: 64 << 20 });
    const data = parse(stdout) as LockData | null;
    return data?.stages ? data : { schema: 1, stages: {} };
  } catch (err) {
    throw errors.lockAtRevUnreadable({ file: basename(lockPath), rev }, { cause: err });
  }
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
const union = (...xs: object[]) => [...new Set(xs.flatMap((x) => Object.keys(x)))].sort();

/** Params that differ; metrics that differ (all metrics with `all`). */
export function diffSnapshots(a: Snapshot, b: Snapshot, o: { all?: boolean } = {}): SnapshotDiff {
  const params: ParamDiff[] = [];
  for (const stage of union(a.params, b.params)) {
    const pa = flattenParams(a.params[stage] ?? {});
    const pb = flattenParams(b.params[stage] ?? {});
    for (const p of union(pa, pb)) if (!same(pa[p], pb[p])) params.push({ stage, param: p, old: pa[p], new: pb[p] });
  }
  const metrics: MetricDiff[] = [];
  for (const stage of union(a.metrics, b.metrics)) {
    const ma = a.metrics[stage] ?? {};
    const mb = b.metrics[stage] ?? {};
    for (const m of union(ma, mb)) {
      const [x, y] = [ma[m], mb[m]];
      if (!o.all && x === y) continue;
      metrics.push({ stage, metric: m, old: x, new: y, change: x !== undefined && y !== undefined ? y - x : undefined });
    }
  }
  return { a: a.label, b: b.label, params, metrics };
}

const show = (v: unknown) => (v === undefined ? '-' : typeof v === 'number' ? fmt(v) : JSON.stringify(v));

/** Two tables: params that changed, and metrics with old → new and the change. */
export function formatDiff(d: SnapshotDiff): string {
  const parts: string[] = [];
  if (d.params.length) parts.push(table([['stage', 'param', d.a, d.b], ...d.params.map((p) => [p.stage, p.param, show(p.old), show(p.new)])]));
  else parts.push(`params: no differences between ${d.a} and ${d.b}`);
  if (d.metrics.length) {
    parts.push(table([['stage', 'metric', d.a, d.b, 'change'], ...d.metrics.map((m) => [m.stage, m.metric, show(m.old), show(m.new), m.change === undefined ? '-' : (m.change > 0 ? '+' : '') + fmt(m.change)])]));
  } else parts.push(`metrics: no differences between ${d.a} and ${d.b}`);
  return parts.join('\n\n');
}
