/**
 * @fileoverview The sweep behind a run: the trial's own sweep, or the newest sweep state of
 * the run's pipeline (`.trainyard/sweeps/<name>/state.json`), as rows of parameters, status,
 * objective and the intermediate values the pruner judged.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readState, sweepDir, type SweepState } from '../../sweep/state.js';
import type { RunRecord } from '../history.js';
import type { SweepReport } from './model.js';

/** The sweep state of `run` (its own as a trial, else its pipeline's newest); null when none. */
export async function findSweep(storeRoot: string, run: RunRecord): Promise<SweepState | null> {
  if (run.sweep) return readState(sweepDir(storeRoot, run.sweep.name)).catch(() => null);
  const all = join(storeRoot, 'sweeps');
  if (!existsSync(all)) return null;
  let best: { state: SweepState; mtime: number } | undefined;
  for (const name of await readdir(all)) {
    const file = join(all, name, 'state.json');
    const state = await readState(join(all, name)).catch(() => null);
    if (!state || state.pipeline !== run.pipeline) continue;
    const mtime = statSync(file).mtimeMs;
    if (!best || mtime > best.mtime) best = { state, mtime };
  }
  return best?.state ?? null;
}

/** The report's view of a sweep state. */
export function sweepReport(state: SweepState, run: RunRecord): SweepReport {
  const parameters = Object.entries(state.spec.parameters).map(([path, p]) => ({
    path, kind: p.type, log: p.log === true, ...(p.type === 'categorical' ? { values: p.values } : {}),
  }));
  const trials = state.trials.map((t) => {
    const intermediate = Object.entries(t.intermediate ?? {}).map(([s, v]): [number, number] => [Number(s), v]).sort((a, b) => a[0] - b[0]);
    const last = intermediate.at(-1);
    return {
      number: t.number, status: t.status, params: t.params, value: t.value, intermediate, durationMs: t.durationMs,
      ...(last ? { last: { step: last[0], value: last[1] } } : {}), ...(t.pruned ? { prunedReason: `step ${t.pruned.step}: ${t.pruned.reason}` } : {}),
    };
  });
  return {
    name: state.name, objective: state.spec.objective.metric, direction: state.spec.objective.direction ?? 'minimize',
    parameters, trials, wallMs: state.wallMs, ...(run.sweep?.name === state.name ? { currentTrial: run.sweep.trial } : {}),
  };
}
