/**
 * @fileoverview Training curves: the stepped metrics of each training stage from the runs'
 * `<stage>.history.jsonl` (one `{"step", "<metric>": value}` a line), and the samples it
 * generated along the way (`sample at step N: "…"` logs in events.jsonl). A stage computed
 * over several runs (killed and resumed) or restored from the cache in this run has its history
 * in the runs that ran its key: they are merged in run order, a later value of a step winning.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunRecord } from '../history.js';
import type { TrainingCurves } from './model.js';

const SAMPLE_RE = /^sample at step (\d+): (.*)$/s;

async function* lines(file: string): AsyncGenerator<string> {
  if (!existsSync(file)) return;
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line) yield line;
  } finally {
    rl.close();
  }
}

/** Adds one history file's points to `series` (metric → step → value). */
export async function readHistory(file: string, series: Map<string, Map<number, number>>): Promise<void> {
  for await (const line of lines(file)) {
    let row: Record<string, unknown>;
    try { row = JSON.parse(line) as Record<string, unknown>; } catch { continue; } // a line cut by a kill
    const step = row.step;
    if (typeof step !== 'number') continue;
    for (const [k, v] of Object.entries(row)) {
      if (k === 'step' || typeof v !== 'number' || !Number.isFinite(v)) continue;
      let s = series.get(k);
      if (!s) series.set(k, (s = new Map()));
      s.set(step, v);
    }
  }
}

/** Samples a stage logged while training, from a run's events.jsonl. */
export async function readTrainingSamples(file: string, stage: string, into: Map<number, string>): Promise<void> {
  for await (const line of lines(file)) {
    if (!line.includes('"stageLog"') || !line.includes('sample at step')) continue;
    let e: { event?: string; name?: string; message?: string };
    try { e = JSON.parse(line) as typeof e; } catch { continue; }
    const m = e.event === 'stageLog' && e.name === stage ? SAMPLE_RE.exec(e.message ?? '') : null;
    if (!m) continue;
    let text: string;
    try { text = String(JSON.parse(m[2]!)); } catch { text = m[2]!; }
    into.set(Number(m[1]), text);
  }
}

/** Curves of every stage of `run` that has a history in `runs` (the pipeline's records, oldest first). */
export async function gatherCurves(run: RunRecord, runs: readonly RunRecord[], runsDir: string, order: readonly string[]): Promise<TrainingCurves[]> {
  const out: TrainingCurves[] = [];
  for (const name of order) {
    const key = run.stages[name]?.key;
    const sources = key ? runs.filter((r) => r.stages[name]?.key === key) : [];
    if (!sources.some((r) => r.runId === run.runId)) sources.push(run);
    sources.sort((a, b) => (a.runId < b.runId ? -1 : 1));
    const series = new Map<string, Map<number, number>>();
    const samples = new Map<number, string>();
    for (const r of sources) {
      const history = join(runsDir, r.runId, `${name}.history.jsonl`);
      if (!existsSync(history)) continue; // cached in that run
      await readHistory(history, series);
      await readTrainingSamples(join(runsDir, r.runId, 'events.jsonl'), name, samples);
    }
    if (series.size === 0) continue;
    const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);
    out.push({
      stage: name,
      series: Object.fromEntries([...series].map(([k, m]) => [k, sorted(m)])),
      samples: [...samples].sort((a, b) => a[0] - b[0]).map(([step, text]) => ({ step, text })),
    });
  }
  return out;
}
