/**
 * @fileoverview What a chart is to the page: an id, a height and an ECharts option made of
 * plain JSON (no functions), so the page can embed it as data and the browser only calls
 * `echarts.init(el).setOption(option)`. Shared axis/tooltip defaults live here.
 */

/** One chart of the report. `option` is an ECharts option object, JSON only. */
export interface ChartSpec {
  id: string;
  title: string;
  /** Pixels. */
  height: number;
  option: Record<string, unknown>;
}

/** Colours by stage status (and for the sweep: complete, pruned, failed). */
export const COLORS = {
  done: '#2f9e44', cached: '#1c7ed6', failed: '#e03131', other: '#868e96',
  complete: '#1c7ed6', pruned: '#adb5bd', removed: '#f08c00', kept: '#2f9e44',
} as const;

export const statusColor = (status: string): string =>
  status === 'done' ? COLORS.done : status === 'cached' ? COLORS.cached : status === 'failed' ? COLORS.failed : COLORS.other;

/** The option every chart starts from: no animation (a report is read, not watched), compact grid. */
export function baseOption(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 36, bottom: 40, containLabel: true },
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    ...extra,
  };
}

/** A chart-safe id from any text (`pretrain` → `pretrain`, `a b/c` → `a-b-c`). */
export const chartId = (...parts: string[]): string => parts.join('-').replace(/[^A-Za-z0-9_-]+/g, '-');
