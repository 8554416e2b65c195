/**
 * @fileoverview ReportModel → one self-contained HTML page: the sections, the chart options
 * as a JSON data block, ECharts inlined and the few lines that draw the charts. A
 * Content-Security-Policy forbids every network request, so the page works offline and a
 * document's text can never load or run anything.
 */
import { basename } from 'node:path';
import { chartLibrary, CLIENT_SCRIPT } from './bundle.js';
import type { ChartSpec } from './chart-spec.js';
import { curveCharts } from './curve-charts.js';
import { html, scriptJson } from './escape.js';
import type { ReportModel } from './model.js';
import { dagChart, funnelChart, timingChart } from './run-charts.js';
import { evalSection, funnelSection, samplesSection, stagesSection, summarySection, sweepSection, trainingSection } from './sections.js';
import { STYLE } from './style.js';
import { intermediateChart, parallelChart } from './sweep-charts.js';

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:";

/** The report's charts by section. */
export function reportCharts(m: ReportModel): { stages: ChartSpec[]; funnel: ChartSpec[]; training: ChartSpec[]; sweep: ChartSpec[] } {
  const defined = <T>(xs: Array<T | undefined>) => xs.filter((x): x is T => x !== undefined);
  return {
    stages: m.stages.length ? [dagChart(m.stages), timingChart(m.stages)] : [],
    funnel: defined([funnelChart(m.funnel)]),
    training: m.curves.flatMap(curveCharts),
    sweep: m.sweep ? defined([parallelChart(m.sweep), intermediateChart(m.sweep)]) : [],
  };
}

/** The whole page. */
export function renderPage(m: ReportModel): string {
  const c = reportCharts(m);
  const sections: Array<[string, string, string]> = [
    ['stages', 'Stages', stagesSection(m, c.stages)],
    ['funnel', 'Data funnel', funnelSection(m, c.funnel)],
    ['training', 'Training', trainingSection(m, c.training)],
    ['eval', 'Evaluation', evalSection(m)],
    ['samples', 'Samples', samplesSection(m)],
    ['sweep', 'Sweep', sweepSection(m, c.sweep)],
  ];
  const shown = sections.filter(([, , body]) => body);
  const all = [...c.stages, ...c.funnel, ...c.training, ...c.sweep];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="trainyard ${html(m.version ?? '')}">
<title>${html(`${basename(m.pipeline)} · run ${m.runId} · Trainyard report`)}</title>
<style>${STYLE}</style></head>
<body>
${summarySection(m)}
<nav>${shown.map(([id, title]) => `<a href="#${id}">${html(title)}</a>`).join('')}</nav>
${shown.map(([, , body]) => body).join('\n')}
<script type="application/json" id="trainyard-charts">${scriptJson(all.map((s) => ({ id: s.id, option: s.option })))}</script>
<script>${chartLibrary()}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
