/**
 * @fileoverview The chart library inlined into every report: Apache ECharts' full minified
 * build (`echarts/dist/echarts.min.js`, about 1.1 MB). ECharts because one well-kept library
 * covers every chart the report needs, the DAG as a graph series and the sweep as parallel
 * coordinates included, where uPlot or Chart.js would need plugins or hand-drawn SVG.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inlineScript } from './escape.js';

let source: string | undefined;

/** ECharts' source, escaped for an inline `<script>` (read once). */
export function chartLibrary(): string {
  source ??= inlineScript(readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min'), 'utf8'));
  return source;
}

/**
 * The page's own script: draws each chart of the `trainyard-charts` JSON block into its
 * `#chart-<id>` element and keeps them sized to the window.
 */
export const CLIENT_SCRIPT = `(function () {
  var specs = JSON.parse(document.getElementById('trainyard-charts').textContent);
  var charts = [];
  specs.forEach(function (s) {
    var el = document.getElementById('chart-' + s.id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(s.option);
    charts.push(chart);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();`;
