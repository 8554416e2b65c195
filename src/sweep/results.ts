/**
 * @fileoverview A sweep's results: trials ranked by the objective (complete ones first, then
 * pruned ones, the deepest first), the table `trainyard sweep` prints, and the best trial's
 * params as an override file for `trainyard run --params`.
 */
import { stringify } from 'yaml';
import { fmt, table } from '../report/history.js';
import type { SweepState } from './state.js';
import type { Trial } from './types.js';

const RANK: Record<Trial['status'], number> = { complete: 0, pruned: 1, running: 2, failed: 3 };
const depth = (t: Trial) => Math.max(-1, ...Object.keys(t.intermediate).map(Number));

/** Trials best first. */
export function rankTrials(s: SweepState): Trial[] {
  const sign = s.spec.objective.direction === 'minimize' ? 1 : -1;
  return [...s.trials].sort((a, b) => RANK[a.status] - RANK[b.status]
    || (a.status === 'complete' ? sign * (a.value! - b.value!) : 0)
    || depth(b) - depth(a)
    || a.number - b.number);
}

/** The best complete trial, if any. */
export function bestTrial(s: SweepState): Trial | undefined {
  const t = rankTrials(s)[0];
  return t?.status === 'complete' ? t : undefined;
}

const short = (path: string) => path.replace(/^stages\.[^.]+\.with\./, '');
const show = (v: unknown) => (typeof v === 'number' ? fmt(v) : JSON.stringify(v));

/** The results table, best first. */
export function formatResults(s: SweepState): string {
  const paths = Object.keys(s.spec.parameters);
  const rows = [['trial', 'status', s.spec.objective.metric, ...paths.map(short), 'stopped at', 'time']];
  for (const t of rankTrials(s)) {
    const last = depth(t);
    rows.push([
      String(t.number), t.status, t.value === undefined ? '-' : fmt(t.value),
      ...paths.map((p) => show(t.params[p])),
      t.status === 'pruned' ? `step ${t.pruned?.step ?? last}` : '-',
      `${(t.durationMs / 1000).toFixed(1)}s`,
    ]);
  }
  return table(rows);
}

/** The best trial's params as a `--params` file, with a header saying where they came from. */
export function bestParamsFile(s: SweepState, t: Trial, pipelineDisplay: string): string {
  const head = [
    `# Best of ${s.trials.length} trials of sweep "${s.name}": trial ${t.number}, ${s.spec.objective.metric} ${fmt(t.value)}.`,
    `#   trainyard run -f ${pipelineDisplay} --params <this file>`,
  ];
  return head.join('\n') + '\n' + stringify(t.params);
}
