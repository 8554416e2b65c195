/**
 * The report's data gathering (run records + store manifests + histories + sweep state →
 * ReportModel) on a hand-built store, and the escaping of everything it puts into HTML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { Store } from '../../../src/cache/store.js';
import { resolveRun } from '../../../src/report/history.js';
import { html, inlineScript, scriptJson } from '../../../src/report/html/escape.js';
import { gatherReport, renderPage, reportCharts } from '../../../src/report/html/index.js';
import { rankTrials } from '../../../src/report/html/sections.js';
import { tempDir } from '../../helpers/stage-tester.js';

const key = (c: string) => c.repeat(64);
const PIPE = '/p/pipe.yaml';

async function entry(store: Store, k: string, m: { type: string; inputs?: string[]; outputs: Record<string, [string, string]>; stats?: object; metrics?: object; durationMs?: number }, files: Record<string, string> = {}) {
  const outputs: Record<string, object> = {};
  for (const [port, [kind, hash]] of Object.entries(m.outputs)) {
    const names = Object.keys(files).filter((f) => f.startsWith(`${port}/`));
    outputs[port] = { kind, hash, files: names.map((f) => ({ path: f.slice(port.length + 1), size: 1, mtimeMs: 0, sha256: '' })) };
  }
  for (const [f, text] of Object.entries(files)) {
    await mkdir(join(store.outputDir(k, f.split('/')[0]!)), { recursive: true });
    await writeFile(join(store.outputDir(k, ''), f), text);
  }
  await mkdir(store.entryDir(k), { recursive: true });
  await writeFile(join(store.entryDir(k), 'manifest.json'), JSON.stringify({
    key: k, stage: m.type, details: { type: m.type, version: 1, params: {}, inputs: m.inputs ? { docs: m.inputs } : {}, deps: {}, seed: 1 },
    outputs, metrics: m.metrics ?? {}, stats: m.stats ?? {}, backend: 'auto', createdAt: '', durationMs: m.durationMs ?? 1000,
  }));
}

async function runRecord(store: Store, id: string, stages: object, files: Record<string, string> = {}, extra: object = {}) {
  const dir = join(store.runsDir(), id);
  await mkdir(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
  await writeFile(join(dir, 'run.json'), JSON.stringify({ runId: id, ok: true, durationMs: 5000, pipeline: PIPE, params: {}, backend: 'auto', counts: { done: 2, cached: 4 }, stages, ...extra }));
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const rejected = (id: string, text: string, rejected: object) => ({ id, text, meta: { rejected } });

async function fixture() {
  const store = new Store(await tempDir());
  await entry(store, key('1'), { type: 'source', outputs: { docs: ['documents', 'h-raw'] }, stats: { documents: 10 } });
  // clean and dedupe changed nothing: the same hash flows through three stages.
  await entry(store, key('2'), { type: 'clean', inputs: ['h-raw'], outputs: { docs: ['documents', 'h-clean'], rejected: ['documents', 'h-empty'] }, stats: { docs_in: 10, docs_out: 10, dropped_empty_input: 0 } });
  await entry(store, key('3'), { type: 'dedupe', inputs: ['h-clean'], outputs: { docs: ['documents', 'h-clean'], duplicates: ['documents', 'h-dups'] }, stats: { docs_in: 10, docs_out: 8, exact_duplicates: 1, near_duplicates: 1 } },
    { 'duplicates/all-00000.jsonl': jsonl([{ id: 'd9', text: 'again', meta: { dedupe: { duplicate_of: 'd1', match: 'exact' } } }, { id: 'd8', text: 'nearly', meta: { dedupe: { duplicate_of: 'd2', match: 'near', jaccard: 0.91 } } }]) });
  const long = 'x'.repeat(1000);
  await entry(store, key('4'), {
    type: 'filter', inputs: ['h-clean'], outputs: { kept: ['documents', 'h-kept'], rejected: ['documents', 'h-rej'] },
    stats: { docs_in: 8, bytes_in: 900, 'dropped_gopher-repetition': 0, 'dropped_bytes_gopher-repetition': 0, dropped_length: 5, dropped_bytes_length: 400, 'dropped_reason_length:too_short_chars': 5, docs_kept: 3, bytes_kept: 500 },
  }, { 'rejected/all-00000.jsonl': jsonl([1, 2, 3, 4, 5].map((i) => rejected(`doc-${i}`, i === 1 ? long : `<b>short ${i}</b>`, { rule: 'length', reason: 'too_short_chars', value: 100 + i, threshold: 7000 }))) + 'not json\n' });
  await entry(store, key('5'), { type: 'pretrain', inputs: ['h-kept'], outputs: { model: ['model', 'h-model'] }, durationMs: 60_000 });
  await entry(store, key('6'), { type: 'eval', inputs: ['h-model'], outputs: { metrics: ['metrics', 'h-metrics'] } }, {
    'metrics/metrics.json': JSON.stringify({ bits_per_byte: 2.5, bits_per_byte_stderr: 0.1, tokens: 100, lone_stderr: 3 }),
    'metrics/samples.jsonl': jsonl([{ prompt: 'Call me', completion: ' Ishmael</script>' }]),
  });
  const st = (k: string, status: string, durationMs?: number) => ({ status, key: key(k), durationMs, metrics: {} });
  const data = { raw: st('1', 'cached'), clean: st('2', 'cached'), dedupe: st('3', 'cached'), filter: st('4', 'cached') };
  // pretrain was killed in run A and resumed in run B (step 20 again: B's value wins); run C restores it from the cache.
  await runRecord(store, '20260101T000000-aaaaaa', { ...data, pretrain: st('5', 'cancelled', 10) }, {
    'pretrain.history.jsonl': jsonl([{ step: 10, loss: 4 }, { step: 10, lr: 0.001 }, { step: 20, loss: 3.9 }]) + '{"step": 30, "lo',
    'events.jsonl': jsonl([{ event: 'stageLog', name: 'pretrain', level: 'info', message: 'sample at step 10: "ab\\"c"' }]),
  });
  await runRecord(store, '20260102T000000-bbbbbb', { ...data, pretrain: st('5', 'done', 20) }, {
    'pretrain.history.jsonl': jsonl([{ step: 20, loss: 3.5 }, { step: 20, val_loss: 3.6 }, { step: 30, loss: 3 }, { step: 20, kl: 0.1 }]),
  });
  await runRecord(store, '20260103T000000-cccccc', { ...data, pretrain: st('5', 'cached'), eval: st('6', 'done', 300), gone: st('9', 'cached') }, {}, { git: { commit: 'abcdef1234567890', dirty: true } });
  await mkdir(join(store.root, 'sweeps', 's1'), { recursive: true });
  await writeFile(join(store.root, 'sweeps', 's1', 'state.json'), JSON.stringify({
    version: 1, name: 's1', pipeline: PIPE, specHash: '', wallMs: 9000,
    spec: { method: 'random', objective: { metric: 'pretrain.val_loss', direction: 'minimize' }, parameters: { 'stages.pretrain.with.lr': { type: 'float', low: 1e-4, high: 1e-2, log: true }, 'stages.pretrain.with.n_embd': { type: 'categorical', values: [8, 16] } } },
    trials: [
      { number: 0, params: { 'stages.pretrain.with.lr': 1e-3, 'stages.pretrain.with.n_embd': 8 }, status: 'complete', value: 3.2, intermediate: { 10: 3.9, 20: 3.2 }, runIds: [], durationMs: 1000 },
      { number: 1, params: { 'stages.pretrain.with.lr': 5e-3, 'stages.pretrain.with.n_embd': 16 }, status: 'pruned', intermediate: { 10: 4.4 }, pruned: { step: 10, reason: 'worse than median' }, runIds: [], durationMs: 500 },
      { number: 2, params: { 'stages.pretrain.with.lr': 2e-3, 'stages.pretrain.with.n_embd': 16 }, status: 'complete', value: 3.0, intermediate: { 10: 3.8, 20: 3.0 }, runIds: [], durationMs: 1000 },
    ],
  }));
  return store;
}

test('gather: DAG edges through unchanged artifacts, cached times, funnel with examples, merged histories, evals, sweep', async () => {
  const store = await fixture();
  const m = await gatherReport(await resolveRun(store.runsDir(), 'latest', PIPE), store);
  assert.deepEqual(m.stages.map((s) => [s.name, s.inputs]), [['raw', []], ['clean', ['raw']], ['dedupe', ['clean']], ['filter', ['dedupe']], ['pretrain', ['filter']], ['eval', ['pretrain']], ['gone', []]]);
  const pre = m.stages.find((s) => s.name === 'pretrain')!;
  assert.deepEqual([pre.status, pre.durationMs, pre.durationFromCache], ['cached', 60_000, true]);
  assert.deepEqual(m.notes.map((n) => n.split(':')[0]), ['gone']);
  assert.equal(m.git?.dirty, true);

  assert.deepEqual(m.funnel.stages.map((s) => [s.stage, s.docsIn, s.docsOut]), [['raw', 10, 10], ['clean', 10, 10], ['dedupe', 10, 8], ['filter', 8, 3]]);
  assert.deepEqual(m.funnel.rows.map((r) => [r.stage, r.rule, r.docs, r.examples.length]), [['dedupe', 'exact', 1, 1], ['dedupe', 'near', 1, 1], ['filter', 'gopher-repetition', 0, 0], ['filter', 'length', 5, 3]]);
  const length = m.funnel.rows.find((r) => r.rule === 'length')!;
  assert.deepEqual(length.reasons, { too_short_chars: 5 });
  assert.equal(length.examples[0]!.text.length, 281, 'long texts are cut');
  assert.equal(length.examples[1]!.why, 'too_short_chars, value 102, threshold 7000');
  assert.match(m.funnel.rows[1]!.examples[0]!.why, /duplicate of d2 \(Jaccard 0\.91\)/);

  assert.equal(m.curves.length, 1);
  assert.deepEqual(m.curves[0]!.series, { loss: [[10, 4], [20, 3.5], [30, 3]], lr: [[10, 0.001]], val_loss: [[20, 3.6]], kl: [[20, 0.1]] });
  assert.deepEqual(m.curves[0]!.samples, [{ step: 10, text: 'ab"c' }]);

  assert.deepEqual(m.evalMetrics, [
    { stage: 'eval', name: 'bits_per_byte', value: 2.5, stderr: 0.1 },
    { stage: 'eval', name: 'lone_stderr', value: 3 },
    { stage: 'eval', name: 'tokens', value: 100 },
  ]);
  assert.deepEqual(m.samples, [{ stage: 'eval', prompt: 'Call me', completion: ' Ishmael</script>' }]);

  assert.equal(m.sweep?.name, 's1');
  assert.deepEqual(rankTrials(m.sweep!).map((t) => t.number), [2, 0, 1]);
  assert.deepEqual(m.sweep!.trials[1]!.last, { step: 10, value: 4.4 });

  const c = reportCharts(m);
  assert.deepEqual(c.training.map((s) => s.id), ['curve-pretrain-loss', 'curve-pretrain-lr', 'curve-pretrain-kl']);
  assert.deepEqual((c.training[0]!.option.series as Array<{ name: string }>).map((s) => s.name), ['loss', 'val_loss']);
  const parallel = c.sweep[0]!.option.series as Array<{ data: Array<{ value: unknown[] }> }>;
  assert.deepEqual(parallel.map((s) => s.data.map((d) => d.value)), [[[1e-3, '8', 3.2], [2e-3, '16', 3.0]], [[5e-3, '16', 4.4]]]);
  const dag = (c.stages[0]!.option.series as Array<{ links: object[] }>)[0]!;
  assert.equal(dag.links.length, 5);
});

test('page: run text is escaped in the HTML and in the chart JSON, which parses back', async () => {
  const store = await fixture();
  const m = await gatherReport(await resolveRun(store.runsDir(), 'latest', PIPE), store);
  m.stages[0]!.name = 'raw</script><script>alert(1)</script>';
  const page = renderPage(m);
  const { document } = parseHTML(page);
  assert.equal(document.querySelectorAll('script').length, 3, 'the data block, the library, the page script: nothing more');
  assert.ok(!page.includes('<b>short'), 'document text is escaped');
  assert.ok(page.includes('&lt;b&gt;short 2&lt;/b&gt;'));
  assert.ok(!page.includes(' Ishmael</script>'));
  const data = JSON.parse(document.getElementById('trainyard-charts')!.textContent!) as Array<{ id: string; option: any }>;
  assert.equal(data.find((d) => d.id === 'dag')!.option.series[0].data[0].name, 'raw</script><script>alert(1)</script>');
  assert.match(page, /http-equiv="Content-Security-Policy" content="default-src 'none'/);
});

test('escaping: html(), scriptJson() and inlineScript()', () => {
  assert.equal(html(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  assert.equal(html(undefined), '');
  assert.equal(html(3), '3');
  const tricky = { s: '</script><!-- \u2028\u2029 & >' };
  const j = scriptJson(tricky);
  assert.ok(!/[<>&\u2028\u2029]/.test(j), j);
  assert.deepEqual(JSON.parse(j), tricky);
  // eslint-disable-next-line no-new-func
  assert.equal(new Function(`return ${inlineScript('"a</script>b" + /<\\/SCRIPT>/.source')}`)(), 'a</script>b<\\/SCRIPT>');
  assert.ok(!inlineScript('x = "</script>"').includes('</script'));
  assert.throws(() => inlineScript('x = "<!--"'), /<!--/);
});
