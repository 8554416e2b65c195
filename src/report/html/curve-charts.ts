/**
 * @fileoverview Training curves per training stage: one chart of every `*loss*` metric (train
 * loss, validation loss, PPO's value/policy loss …), one of the learning rate, and one small
 * chart for each other stepped metric (grad norm, throughput, PPO's KL and score, DPO's
 * rewards and margins), each with its own scale.
 */
import type { TrainingCurves } from './model.js';
import { baseOption, chartId, type ChartSpec } from './chart-spec.js';

const isLoss = (m: string) => /loss/i.test(m);
const isLr = (m: string) => m === 'lr' || m === 'learning_rate';

function lineChart(id: string, title: string, series: Record<string, Array<[number, number]>>, names: string[], o: { log?: boolean; height?: number } = {}): ChartSpec {
  return {
    id, title, height: o.height ?? 280,
    option: baseOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, show: names.length > 1 },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: o.log ? 'log' : 'value', scale: true },
      series: names.map((n) => ({ name: n, type: 'line', showSymbol: series[n]!.length < 40, symbolSize: 5, data: series[n], connectNulls: true })),
    }),
  };
}

/** The charts of one training stage, loss first. */
export function curveCharts(c: TrainingCurves): ChartSpec[] {
  const names = Object.keys(c.series).sort();
  const losses = names.filter(isLoss);
  const lrs = names.filter(isLr);
  const rest = names.filter((n) => !isLoss(n) && !isLr(n));
  const out: ChartSpec[] = [];
  if (losses.length) out.push(lineChart(chartId('curve', c.stage, 'loss'), `${c.stage}: loss`, c.series, losses));
  if (lrs.length) out.push(lineChart(chartId('curve', c.stage, 'lr'), `${c.stage}: learning rate`, c.series, lrs, { height: 220 }));
  for (const n of rest) out.push(lineChart(chartId('curve', c.stage, n), `${c.stage}: ${n}`, c.series, [n], { height: 220 }));
  return out;
}
