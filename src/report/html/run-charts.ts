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

/** The DAG: one node per stage (colour = status), one arrow per input edge. */
export function dagChart(stages: readonly ReportStage[]): ChartSpec {
  const layer = layers(stages);
  const rows = new Map<number, number>();
  const pos = new Map<string, [number, number]>();
  for (const s of stages) {
    const l = layer.get(s.name) ?? 0;
    const r = rows.get(l) ?? 0;
    rows.set(l, r + 1);
    pos.set(s.name, [l * 180, r * 90]);
  }
  const height = Math.max(160, 90 * Math.max(1, ...rows.values()) + 60);
  return {
    id: 'dag', title: 'Stages', height,
    option: baseOption({
      tooltip: {},
      series: [{
        type: 'graph', layout: 'none', roam: true, symbol: 'roundRect', symbolSize: [130, 44],
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9,
        label: { show: true, color: '#fff', fontSize: 12, lineHeight: 15 },
        lineStyle: { color: '#495057', width: 1.5, opacity: 0.8 },
        data: stages.map((s) => ({
          name: s.name, x: pos.get(s.name)![0], y: pos.get(s.name)![1],
          value: `${s.type ?? '?'} · ${s.status}${s.durationMs !== undefined ? ` · ${seconds(s.durationMs)}` : ''}`,
          label: { formatter: `{b}\n${s.status === 'cached' ? 'cached' : seconds(s.durationMs) || s.status}` },
          itemStyle: { color: statusColor(s.status) },
        })),
        links: stages.flatMap((s) => s.inputs.map((i) => ({ source: i, target: s.name }))),
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
