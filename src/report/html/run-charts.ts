/**
 * @fileoverview Charts of the run itself: the DAG (an ECharts graph series with the nodes laid
 * out in columns by longest path from the sources), the time per stage (cached stages show the
 * time they took when they were computed), and the data funnel (documents kept and removed
 * by each data stage).
 */
import { fmt } from '../history.js';
import type { Funnel, ReportStage } from './model.js';
import { baseOption, COLORS, statusColor, type ChartSpec } from './chart-spec.js';
import { layers } from './stages.js';

const seconds = (ms?: number) => (ms === undefined ? '' : ms < 1000 ? `${ms} ms` : `${fmt(ms / 1000)} s`);

/**
 * The DAG, top to bottom: one row per longest-path layer, one node per stage (colour =
 * status), one arrow per input edge; an edge that skips layers is curved so it does not run
 * through the nodes between.
 */
export function dagChart(stages: readonly ReportStage[]): ChartSpec {
  const layer = layers(stages);
  const cols = new Map<number, number>();
  const pos = new Map<string, [number, number]>();
  for (const s of stages) {
    const l = layer.get(s.name) ?? 0;
    const c = cols.get(l) ?? 0;
    cols.set(l, c + 1);
    pos.set(s.name, [c, l]);
  }
  // Columns are units on a hidden value axis (a fixed frame, whatever the shape); rows are centred on the widest.
  const widest = Math.max(1, ...cols.values());
  for (const [name, [x, y]] of pos) pos.set(name, [x + (widest - (cols.get(y) ?? 1)) / 2, y]);
  const rows = Math.max(1, ...[...layer.values()].map((l) => l + 1));
  const axis = (max: number, inverse = false) => ({ type: 'value', show: false, min: -0.5, max: max - 0.5, inverse });
  return {
    id: 'dag', title: 'Stages and their inputs', height: 52 * rows + 20,
    option: baseOption({
      grid: { left: 10, right: 10, top: 10, bottom: 10 },
      xAxis: axis(widest), yAxis: axis(rows, true),
      series: [{
        // Small round nodes with the label beside them: ECharts shortens each edge by its nodes' size.
        // The label's {b} is the stage name, which the schema limits to [A-Za-z0-9_-]: no rich-text markup.
        type: 'graph', coordinateSystem: 'cartesian2d', symbol: 'circle', symbolSize: 18,
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8,
        label: { show: true, position: 'right', distance: 8, color: '#495057', fontSize: 12, rich: { n: { fontWeight: 'bold', color: '#212529', fontSize: 13 } } },
        lineStyle: { color: '#495057', width: 1.5, opacity: 0.8 },
        data: stages.map((s) => ({
          name: s.name, value: pos.get(s.name),
          label: { formatter: `{n|{b}}   ${s.type ?? '?'} · ${s.status === 'cached' ? 'cached' : seconds(s.durationMs) || s.status}` },
          itemStyle: { color: statusColor(s.status) },
        })),
        links: stages.flatMap((s) => s.inputs.map((i) => ({
          source: i, target: s.name,
          ...((layer.get(s.name) ?? 0) - (layer.get(i) ?? 0) > 1 ? { lineStyle: { curveness: -0.4 } } : {}),
        }))),
      }],
    }),
  };
}

/** Seconds per stage, stacked so that each stage has one bar: ran, or cached (its original time). */
export function timingChart(stages: readonly ReportStage[]): ChartSpec {
  const names = stages.map((s) => s.name);
  const value = (pred: (s: ReportStage) => boolean) => stages.map((s) => (pred(s) && s.durationMs !== undefined ? s.durationMs / 1000 : null));
  return {
    id: 'timing', title: 'Time per stage', height: Math.max(160, 28 * stages.length + 80),
    option: baseOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      xAxis: { type: 'value', name: 'seconds', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        { name: 'ran', type: 'bar', stack: 't', data: value((s) => s.status !== 'cached'), itemStyle: { color: COLORS.done } },
        { name: 'cached (time when computed)', type: 'bar', stack: 't', data: value((s) => s.status === 'cached'), itemStyle: { color: COLORS.cached } },
      ],
    }),
  };
}

/** Documents kept and removed per data stage, in pipeline order. */
export function funnelChart(funnel: Funnel): ChartSpec | undefined {
  if (funnel.stages.length === 0) return undefined;
  return {
    id: 'funnel', title: 'Documents through the data stages', height: 260,
    option: baseOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      xAxis: { type: 'category', data: funnel.stages.map((s) => `${s.stage} (${s.type})`) },
      yAxis: { type: 'value', name: 'documents' },
      series: [
        { name: 'kept', type: 'bar', stack: 'd', data: funnel.stages.map((s) => s.docsOut), itemStyle: { color: COLORS.kept } },
        { name: 'removed', type: 'bar', stack: 'd', data: funnel.stages.map((s) => s.docsIn - s.docsOut), itemStyle: { color: COLORS.removed } },
      ],
    }),
  };
}
