/**
 * @fileoverview `trainyard runs`: one row per run record, newest last: status (ok, failed,
 * cancelled, pruned for a sweep trial the pruner stopped, or interrupted for a run killed
 * before it wrote run.json), duration, the git
 * commit (`*` when the workspace had uncommitted changes), the backend the stages used, the
 * sweep trial it was, and a few objective metrics (`stage.metric`).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../cache/store.js';
import { readState, sweepDir, type SweepState } from '../sweep/state.js';
import { fmt, listRuns, runMetrics, table, type RunRecord, type StageMetrics } from './history.js';

export interface RunRow {
  runId: string;
  status: 'ok' | 'failed' | 'cancelled' | 'interrupted' | 'pruned';
  durationMs?: number;
  git?: { commit: string; dirty: boolean } | null;
  backend?: string;
  sweep?: { name: string; trial: number };
  metrics: StageMetrics;
}

/** Metrics shown when none are asked for, where a run has them. */
const DEFAULT_METRICS = ['val_loss', 'bits_per_byte', 'perplexity', 'exact_match', 'accuracy', 'reward_mean'];

/** Every run of `pipeline` (all runs without it), oldest first, killed ones included. */
export async function runRows(runsDir: string, store: Store, pipeline?: string): Promise<RunRow[]> {
  const done = new Map((await listRuns(runsDir, pipeline)).map((r) => [r.runId, r]));
  const rows: RunRow[] = [];
  const ids = existsSync(runsDir) ? (await readdir(runsDir)).sort() : [];
  const sweeps = new Map<string, Promise<SweepState | null>>();
  for (const id of ids) {
    const rec = done.get(id);
    if (rec) {
      const row = await rowOf(rec, store);
      // A trial's run that the pruner stopped reads "cancelled" in its record; the sweep knows better.
      if (row.sweep && row.status === 'cancelled') {
        const name = row.sweep.name;
        if (!sweeps.has(name)) sweeps.set(name, readState(sweepDir(store.root, name)).catch(() => null));
        const t = (await sweeps.get(name))?.trials[row.sweep.trial];
        if (t?.status === 'pruned' && t.runIds.at(-1) === id) row.status = 'pruned';
      }
      rows.push(row);
      continue;
    }
    const started = await firstEvent(join(runsDir, id, 'events.jsonl'));
    if (started && (!pipeline || started.pipeline === pipeline)) rows.push({ runId: id, status: 'interrupted', metrics: {} });
  }
  return rows;
}

async function rowOf(r: RunRecord, store: Store): Promise<RunRow> {
  const counts = r.counts ?? {};
  const status = r.ok ? 'ok' : (counts.failed ?? 0) > 0 ? 'failed' : 'cancelled';
  const backends = [...new Set(Object.values(r.stages).map((s) => s.backend).filter((b): b is string => !!b))];
  return {
    runId: r.runId, status, durationMs: r.durationMs, git: r.git, backend: backends.join(',') || r.backend,
    sweep: r.sweep ? { name: r.sweep.name, trial: r.sweep.trial } : undefined, metrics: await runMetrics(r, store),
  };
}

/** The runStart event of a run that never ended (null when the file is absent or unreadable). */
async function firstEvent(file: string): Promise<{ pipeline?: string } | null> {
  try {
    const line = (await readFile(file, 'utf8')).split('\n', 1)[0]!;
    return JSON.parse(line) as { pipeline?: string };
  } catch {
    return null;
  }
}

/** `stage.metric` columns: those asked for, else the default metrics the runs report (at most 4). */
export function metricColumns(rows: readonly RunRow[], asked: readonly string[] = []): string[] {
  if (asked.length) return [...asked];
  const found = new Set<string>();
  for (const r of rows) for (const [stage, m] of Object.entries(r.metrics)) for (const name of Object.keys(m)) if (DEFAULT_METRICS.includes(name)) found.add(`${stage}.${name}`);
  return [...found].sort().slice(0, 4);
}

const metricOf = (r: RunRow, col: string) => {
  const dot = col.indexOf('.');
  return r.metrics[col.slice(0, dot)]?.[col.slice(dot + 1)];
};

/** The runs table. */
export function formatRuns(rows: readonly RunRow[], columns: readonly string[]): string {
  const head = ['run', 'status', 'time', 'git', 'backend', 'sweep', ...columns];
  return table([head, ...rows.map((r) => [
    r.runId, r.status, r.durationMs === undefined ? '-' : `${(r.durationMs / 1000).toFixed(1)}s`,
    r.git ? r.git.commit.slice(0, 8) + (r.git.dirty ? '*' : '') : '-',
    r.backend ?? '-', r.sweep ? `${r.sweep.name}#${r.sweep.trial}` : '-',
    ...columns.map((c) => fmt(metricOf(r, c))),
  ])]);
}
