/**
 * @fileoverview Run history: the run records under `.trainyard/runs/<runId>/run.json`, oldest
 * first (run ids start with a UTC timestamp), and each stage's final metrics. A stage that was
 * cached in a run has no metrics in the record, so they come from its store manifest.
 *
 *   const runs = await listRuns(store.runsDir(), '/abs/pipelines/quickstart.yaml');
 *   const run = await resolveRun(store.runsDir(), 'latest', pipeline);
 *   const metrics = await runMetrics(run, store);          // { eval: { bits_per_byte: 2.1, … } }
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../cache/store.js';
import { errors } from '../errors/index.js';

export interface RunRecordStage { status?: string; key?: string; durationMs?: number; metrics: Record<string, number>; backend?: string }

/** `run.json` as the runner writes it (src/report/run-record.ts). */
export interface RunRecord {
  runId: string;
  ok: boolean;
  durationMs?: number;
  pipeline: string;
  params: Record<string, Record<string, unknown>>;
  backend?: string;
  stages: Record<string, RunRecordStage>;
  counts?: Record<string, number>;
  git?: { commit: string; dirty: boolean } | null;
  version?: string;
  sweep?: { name: string; trial: number; params: Record<string, unknown> };
}

export type StageMetrics = Record<string, Record<string, number>>;

/** Finished runs (those with a run.json), oldest first; only those of `pipeline` when given. */
export async function listRuns(runsDir: string, pipeline?: string): Promise<RunRecord[]> {
  if (!existsSync(runsDir)) return [];
  const out: RunRecord[] = [];
  for (const id of (await readdir(runsDir)).sort()) {
    const file = join(runsDir, id, 'run.json');
    if (!existsSync(file)) continue;
    try {
      const rec = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
      if (!pipeline || rec.pipeline === pipeline) out.push({ ...rec, runId: rec.runId ?? id, stages: rec.stages ?? {}, params: rec.params ?? {} });
    } catch {
      // A half-written or corrupt record is not history.
    }
  }
  return out;
}

/** A run by id (or unique id prefix), `latest`, `previous`, or `latest~N`. */
export async function resolveRun(runsDir: string, ref: string, pipeline?: string): Promise<RunRecord> {
  const runs = await listRuns(runsDir, pipeline);
  const back = ref === 'latest' ? 0 : ref === 'previous' ? 1 : /^latest~(\d+)$/.exec(ref)?.[1];
  if (back !== undefined) {
    const run = runs[runs.length - 1 - Number(back)];
    if (!run) throw errors.noRun({ ref, count: runs.length, pipeline });
    return run;
  }
  const hits = runs.filter((r) => r.runId.startsWith(ref));
  if (hits.length === 1) return hits[0]!;
  const ids = runs.map((r) => r.runId);
  throw errors.runRef({ ref, matches: hits.length, ids });
}

/** Final metrics per stage of a run; cached stages read theirs from the store manifest. */
export async function runMetrics(run: RunRecord, store?: Store): Promise<StageMetrics> {
  const out: StageMetrics = {};
  for (const [name, s] of Object.entries(run.stages)) {
    let m = s.metrics ?? {};
    if (Object.keys(m).length === 0 && s.key && store) m = await manifestMetrics(store, s.key);
    if (Object.keys(m).length) out[name] = m;
  }
  return out;
}

/** The `metrics` of a store entry (empty when the entry is gone). */
export async function manifestMetrics(store: Store, key: string): Promise<Record<string, number>> {
  const file = join(store.entryDir(key), 'manifest.json');
  if (!existsSync(file)) return {};
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { metrics?: Record<string, number> }).metrics ?? {};
  } catch {
    return {};
  }
}

/** Human number: 4 significant digits, integers as they are. */
export function fmt(v: number | undefined): string {
  if (v === undefined) return '-';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** `stage  metric  value` rows, with `± stderr` beside a metric that has one. */
export function formatMetricsTable(metrics: StageMetrics): string {
  const rows: string[][] = [['stage', 'metric', 'value']];
  for (const stage of Object.keys(metrics).sort()) {
    const m = metrics[stage]!;
    for (const name of Object.keys(m).sort()) {
      if (name.endsWith('_stderr') && name.slice(0, -7) in m) continue;
      const se = m[`${name}_stderr`];
      rows.push([stage, name, fmt(m[name]) + (se !== undefined ? ` ± ${fmt(se)}` : '')]);
    }
  }
  return table(rows);
}

/** Left-aligned columns separated by two spaces. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}
