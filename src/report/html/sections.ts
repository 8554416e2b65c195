/**
 * @fileoverview The report's HTML sections (run summary, stages, data funnel, training,
 * evaluation, samples, sweep) as strings. Every value from the run goes through `html()`;
 * charts are placeholders (`<div id="chart-…">`) the page script fills.
 */
import { basename } from 'node:path';
import { fmt } from '../history.js';
import { chartId, type ChartSpec } from './chart-spec.js';
import { html } from './escape.js';
import type { EvalMetric, ReportModel, SweepReport, SweepTrialRow } from './model.js';

const secs = (ms?: number) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const num = (v: number | undefined) => html(fmt(v));

/** A chart's placeholder with its title. */
export const chartBox = (c: ChartSpec): string =>
  `<figure class="chart-box"><figcaption>${html(c.title)}</figcaption><div class="chart" id="chart-${html(c.id)}" style="height:${c.height}px"></div></figure>`;

const table = (head: string[], rows: string[][], cls = '') =>
  `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

export function summarySection(m: ReportModel): string {
  const c = m.counts;
  const rows: Array<[string, string]> = [
    ['run', html(m.runId)],
    ['pipeline', html(m.pipeline)],
    ['status', m.ok ? '<span class="ok">ok</span>' : '<span class="bad">not ok</span>'],
    ['duration', secs(m.durationMs)],
    ['stages', html(`${c.done ?? 0} ran, ${c.cached ?? 0} cached${c.failed ? `, ${c.failed} failed` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}${c.cancelled ? `, ${c.cancelled} cancelled` : ''}`)],
    ['git', m.git ? html(m.git.commit.slice(0, 12) + (m.git.dirty ? ' (uncommitted changes)' : '')) : '–'],
    ['backend', html([...new Set(m.stages.map((s) => s.backend).filter(Boolean))].join(', ') || m.backend || '–')],
    ['trainyard', html(m.version ?? '–')],
  ];
  if (m.trial) rows.push(['sweep trial', html(`${m.trial.name} #${m.trial.trial}: ${Object.entries(m.trial.params).map(([k, v]) => `${k.split('.').at(-1)}=${JSON.stringify(v)}`).join(', ')}`)]);
  const notes = m.notes.length ? `<ul class="notes">${m.notes.map((n) => `<li>${html(n)}</li>`).join('')}</ul>` : '';
  return `<header><h1>${html(basename(m.pipeline))} <small>run ${html(m.runId)}</small></h1>
<table class="meta"><tbody>${rows.map(([k, v]) => `<tr><th>${html(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>${notes}</header>`;
}

export function stagesSection(m: ReportModel, charts: ChartSpec[]): string {
  const rows = m.stages.map((s) => [
    html(s.name), html(s.type ?? '?'), `<span class="st st-${html(s.status)}">${html(s.status)}</span>`,
    html(secs(s.durationMs)) + (s.durationFromCache ? ' <small>(when computed)</small>' : ''), html(s.backend ?? '–'),
    html(s.inputs.join(', ') || '–'), `<code>${html(s.key?.slice(0, 12) ?? '–')}</code>`,
  ]);
  return `<section id="stages"><h2>Stages</h2>${charts.map(chartBox).join('')}
${table(['stage', 'type', 'status', 'time', 'backend', 'inputs', 'key'], rows)}</section>`;
}

export function funnelSection(m: ReportModel, charts: ChartSpec[]): string {
  if (!m.funnel.stages.length) return '';
  const rows = m.funnel.rows.map((r) => {
    const reasons = Object.entries(r.reasons).map(([k, v]) => `${k} ${v}`).join(', ');
    const ex = r.examples.length
      ? `<details open><summary>${r.examples.length} example(s)</summary>${r.examples.map((e) => `<div class="doc"><div class="why"><code>${html(e.id)}</code> · ${html(e.why)}</div><pre>${html(e.text)}</pre></div>`).join('')}</details>`
      : '–';
    return [html(r.stage), html(r.rule), html(r.docs), r.bytes === undefined ? '–' : html(`${(r.bytes / 1e3).toFixed(1)} kB`), html(reasons || '–'), ex];
  });
  return `<section id="funnel"><h2>Data funnel</h2>${charts.map(chartBox).join('')}
${table(['stage', 'rule', 'documents removed', 'bytes', 'reasons', 'examples'], rows, 'funnel')}</section>`;
}

export function trainingSection(m: ReportModel, charts: ChartSpec[]): string {
  if (!m.curves.length) return '';
  const parts = m.curves.map((c) => {
    const own = charts.filter((s) => s.id.startsWith(`${chartId('curve', c.stage)}-`));
    const samples = c.samples.length ? `<h4>Samples during training</h4>${table(['step', 'text'], c.samples.map((s) => [html(s.step), `<pre>${html(s.text)}</pre>`]), 'samples')}` : '';
    return `<h3>${html(c.stage)}</h3><div class="grid">${own.map(chartBox).join('')}</div>${samples}`;
  });
  return `<section id="training"><h2>Training</h2>${parts.join('')}</section>`;
}

const ci = (e: EvalMetric) => (e.stderr === undefined ? '–' : html(`${fmt(e.value - 1.96 * e.stderr)} … ${fmt(e.value + 1.96 * e.stderr)}`));

export function evalSection(m: ReportModel): string {
  if (!m.evalMetrics.length) return '';
  const rows = m.evalMetrics.map((e) => [html(e.stage), html(e.name), num(e.value), e.stderr === undefined ? '–' : `± ${num(e.stderr)}`, ci(e)]);
  return `<section id="eval"><h2>Evaluation</h2>${table(['stage', 'metric', 'value', 'standard error', '95% interval'], rows, 'num')}</section>`;
}

export function samplesSection(m: ReportModel): string {
  if (!m.samples.length) return '';
  const rows = m.samples.map((s) => [html(s.stage), `<pre>${html(s.prompt)}</pre>`, `<pre>${html(s.completion)}</pre>`]);
  return `<section id="samples"><h2>Samples</h2>${table(['stage', 'prompt', 'completion'], rows, 'samples')}</section>`;
}

/** Complete trials by objective, then pruned ones by the value they were stopped at, then the rest. */
export function rankTrials(s: SweepReport): SweepTrialRow[] {
  const sign = s.direction === 'maximize' ? -1 : 1;
  const rank = (t: SweepTrialRow) => (t.status === 'complete' ? 0 : t.status === 'pruned' ? 1 : 2);
  const v = (t: SweepTrialRow) => (t.value ?? t.last?.value ?? Infinity * sign) * sign;
  return [...s.trials].sort((a, b) => rank(a) - rank(b) || v(a) - v(b) || a.number - b.number);
}

export function sweepSection(m: ReportModel, charts: ChartSpec[]): string {
  const s = m.sweep;
  if (!s) return '';
  const params = s.parameters.map((p) => p.path);
  const rows = rankTrials(s).map((t) => [
    html(t.number) + (t.number === s.currentTrial ? ' <small>(this run)</small>' : ''), `<span class="st st-${html(t.status)}">${html(t.status)}</span>`,
    t.value === undefined ? '–' : num(t.value), html(t.prunedReason ?? (t.last && t.status !== 'complete' ? `step ${t.last.step}: ${fmt(t.last.value)}` : '–')),
    ...params.map((p) => html(typeof t.params[p] === 'number' ? fmt(t.params[p] as number) : JSON.stringify(t.params[p]))), html(secs(t.durationMs)),
  ]);
  const pruned = s.trials.filter((t) => t.status === 'pruned').length;
  return `<section id="sweep"><h2>Sweep ${html(s.name)}</h2>
<p>${html(`${s.trials.length} trials (${pruned} pruned), objective ${s.objective} (${s.direction}), wall time ${secs(s.wallMs)}`)}</p>
${charts.map(chartBox).join('')}
${table(['trial', 'status', s.objective, 'stopped at', ...params.map((p) => p.split('.').at(-1)!), 'time'], rows, 'num')}</section>`;
}
