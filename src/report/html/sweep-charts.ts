/**
 * @fileoverview Sweep charts: parallel coordinates of every parameter and the objective (one
 * line per trial; complete trials in colour, pruned ones grey and dashed at the value they were
 * stopped on), and the intermediate metric of each trial over the steps, where successive
 * halving shows as the lines that stop early.
 */
import type { SweepReport, SweepTrialRow } from './model.js';
import { baseOption, COLORS, type ChartSpec } from './chart-spec.js';

const shortName = (path: string) => path.split('.').at(-1) ?? path;

/** The objective (or, for a trial stopped early, the last value it reported). */
const trialValue = (t: SweepTrialRow) => t.value ?? t.last?.value;

export function parallelChart(s: SweepReport): ChartSpec {
  const axes = s.parameters.map((p, dim) => ({
    dim, name: shortName(p.path),
    type: p.kind === 'categorical' ? 'category' : p.log ? 'log' : 'value',
    ...(p.kind === 'categorical' ? { data: (p.values ?? []).map(String) } : { scale: true }),
  }));
  axes.push({ dim: axes.length, name: s.objective, type: 'value', scale: true });
  const row = (t: SweepTrialRow) => ({
    name: `trial ${t.number}`,
    value: [...s.parameters.map((p) => (p.kind === 'categorical' ? String(t.params[p.path]) : t.params[p.path])), trialValue(t)],
  });
  const of = (status: string[]) => s.trials.filter((t) => status.includes(t.status) && trialValue(t) !== undefined).map(row);
  return {
    id: 'sweep-parallel', title: `Sweep ${s.name}: parameters and ${s.objective}`, height: 340,
    option: baseOption({
      tooltip: { trigger: 'item' },
      legend: { top: 0 },
      parallel: { left: 60, right: 110, top: 60, bottom: 30 },
      parallelAxis: axes,
      series: [
        { name: 'complete', type: 'parallel', data: of(['complete']), lineStyle: { width: 2.5, opacity: 0.85, color: COLORS.complete } },
        { name: 'pruned (value when stopped)', type: 'parallel', data: of(['pruned']), lineStyle: { width: 1.5, opacity: 0.7, type: 'dashed', color: COLORS.pruned } },
      ],
    }),
  };
}

export function intermediateChart(s: SweepReport): ChartSpec | undefined {
  const trials = s.trials.filter((t) => t.intermediate.length);
  if (!trials.length) return undefined;
  return {
    id: 'sweep-intermediate', title: `Sweep ${s.name}: intermediate values per trial`, height: 320,
    option: baseOption({
      tooltip: { trigger: 'item' },
      legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'value', scale: true },
      series: trials.map((t) => ({
        name: `trial ${t.number}${t.status === 'pruned' ? ' (pruned)' : ''}`, type: 'line', data: t.intermediate, symbolSize: 5,
        lineStyle: t.status === 'pruned' ? { type: 'dashed', width: 1.5 } : { width: 2.5 },
      })),
    }),
  };
}
