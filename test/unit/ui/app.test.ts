/**
 * The ink view through ink-testing-library: stage rows with progress, the training panel,
 * the log tail and `l`, `q`/Ctrl-C cancelling, and the summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h } from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../../src/ui/app.js';
import { UiState } from '../../../src/ui/state.js';

const tick = () => new Promise((r) => setTimeout(r, 30));
// eslint-disable-next-line no-control-regex
const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

function setup() {
  let t = 1_000_000;
  const now = () => t;
  const model = new UiState({ now });
  const cancels: number[] = [];
  const ui = render(h(App, { model, now, tickMs: 0, onCancel: (n: number) => cancels.push(n) }));
  model.runStart({ runId: 'r42', pipeline: '/tmp/p/tiny.yaml', stages: [
    { name: 'books', type: 'source', willRun: true, reason: '' },
    { name: 'clean', type: 'clean', willRun: true, reason: '' },
    { name: 'pretrain', type: 'pretrain', willRun: true, reason: '' },
  ] });
  return { model, ui, cancels, advance: (ms: number) => { t += ms; } };
}

test('rows show status, elapsed, a progress bar with rate and ETA', async () => {
  const { model, ui, advance } = setup();
  model.stageCached('books', { docs: '/store/ab/docs' });
  model.stageStart('clean', 'clean');
  model.stageProgress('clean', { done: 0, total: 200, unit: 'docs' });
  advance(4000);
  model.stageProgress('clean', { done: 100, total: 200, unit: 'docs' });
  await tick();
  const f = plain(ui.lastFrame());
  assert.match(f, /trainyard · tiny\.yaml · run r42/);
  assert.match(f, /✓ books\s+cached/);
  assert.match(f, /▶ clean\s+running\s+4\.0 s\s+█+░+\s+50% 100\/200 docs · 25 docs\/s · ETA 4\.0 s/);
  assert.match(f, /· pretrain\s+queued/);
  ui.unmount();
});

test('the training panel draws loss/val sparklines, lr, tok/s, ETA and the sample', async () => {
  const { model, ui, advance } = setup();
  model.stageStart('pretrain', 'pretrain');
  for (let step = 1; step <= 20; step++) {
    model.stageMetric('pretrain', 'loss', 6 - step * 0.2, step);
    model.stageMetric('pretrain', 'lr', 6e-4, step);
    model.stageMetric('pretrain', 'tokens_per_s', 1234, step);
    advance(500);
    model.stageProgress('pretrain', { done: step, total: 40, unit: 'steps' });
    if (step % 10 === 0) model.stageMetric('pretrain', 'val_loss', 5 - step * 0.1, step);
  }
  model.stageLog('pretrain', 'info', 'sample at step 20: "Call me Ishmael."');
  await tick();
  const f = plain(ui.lastFrame());
  assert.match(f, /training · pretrain/);
  assert.match(f, /step 20\/40 {2}lr 6\.00e-4 {2}1234 tok\/s {2}ETA 10\.0 s/);
  const loss = /loss\s+2\s+(\S+)/.exec(f);
  assert.ok(loss, f);
  assert.equal(loss[1]!.length, 20);
  assert.ok(loss[1]!.startsWith('█') && loss[1]!.endsWith('▁'), 'loss curve goes down');
  assert.match(f, /val\s+3\s+█▁/);
  assert.match(f, /sample @20 {2}"Call me Ishmael\."/);
  ui.unmount();
});

test('log tail shows the last lines; l toggles full logs; q and Ctrl-C cancel', async () => {
  const { model, ui, cancels } = setup();
  for (let i = 1; i <= 12; i++) model.stageLog('clean', i === 12 ? 'warn' : 'info', `message number ${i}`);
  await tick();
  let f = plain(ui.lastFrame());
  assert.match(f, /logs \(l: full logs\)/);
  assert.doesNotMatch(f, /message number 7\b/);
  assert.match(f, /clean\s+message number 8[\s\S]*message number 12/);
  ui.stdin.write('l');
  await tick();
  f = plain(ui.lastFrame());
  assert.match(f, /logs \(12 lines, l: hide\)/);
  assert.match(f, /message number 1\b/);
  ui.stdin.write('l');
  await tick();
  assert.doesNotMatch(plain(ui.lastFrame()), /message number 1\b/);
  ui.stdin.write('q');
  await tick();
  assert.deepEqual(cancels, [1]);
  assert.match(plain(ui.lastFrame()), /cancelling… \(q again to kill\)/);
  ui.stdin.write('\x03');
  await tick();
  assert.deepEqual(cancels, [1, 2]);
  ui.unmount();
});

test('summary: outcome, time, cache hits, metrics and artifact paths; failures show their error', async () => {
  const { model, ui } = setup();
  model.stageCached('books', { docs: '/store/ab/docs' });
  model.stageEnd({ name: 'clean', status: 'failed', durationMs: 1500, error: { code: 'E_STAGE', message: 'boom' } });
  model.stageEnd({ name: 'pretrain', status: 'skipped', durationMs: 0, error: { code: 'E_SKIPPED', message: 'upstream clean failed' } });
  model.runEnd({ runId: 'r42', ok: false, durationMs: 2100, counts: { cached: 1, done: 0, failed: 1, cancelled: 0, skipped: 1 } });
  await tick();
  let f = plain(ui.lastFrame());
  assert.match(f, /✖ clean\s+failed\s+1\.5 s\s+E_STAGE: boom/);
  assert.match(f, /○ pretrain\s+skipped\s+E_SKIPPED: upstream clean failed/);
  assert.match(f, /failed · 0 ran · 1 cached · 1 failed · 1 skipped · 2\.1 s · run r42/);
  assert.match(f, /artifacts:\n\s+books\.docs\s+\/store\/ab\/docs/);
  assert.doesNotMatch(f, /q cancel/);
  ui.unmount();

  const ok = setup();
  ok.model.stageEnd({ name: 'pretrain', status: 'done', durationMs: 61_000, metrics: { val_loss: 2.3456, train_loss: 2.1 }, outputs: { model: '/store/cd/model' } });
  ok.model.runEnd({ runId: 'r42', ok: true, durationMs: 62_000, counts: { cached: 0, done: 1, failed: 0, cancelled: 0, skipped: 0 } });
  await tick();
  f = plain(ok.ui.lastFrame());
  assert.match(f, /ok · 1 ran · 0 cached · 1m 02s/);
  assert.match(f, /pretrain: val_loss 2\.346 {2}train_loss 2\.1/);
  assert.match(f, /pretrain\.model\s+\/store\/cd\/model/);
  ok.ui.unmount();
});

test('a long training curve is downsampled to one line that fits the terminal', async () => {
  const { model, ui } = setup();
  model.stageStart('pretrain', 'pretrain');
  for (let step = 1; step <= 3000; step++) model.stageMetric('pretrain', 'loss', 5 * Math.exp(-step / 800), step);
  for (let step = 25; step <= 3000; step += 25) model.stageMetric('pretrain', 'val_loss', 5 * Math.exp(-step / 900), step);
  await tick();
  const lines = plain(ui.lastFrame()).split('\n');
  for (const l of lines) assert.ok([...l].length <= 100, `too wide: ${l}`);
  const loss = lines.find((l) => l.includes('loss'))!;
  const chart = /loss\s+\S+ (\S+)/.exec(loss)![1]!;
  assert.equal(chart.length, 100 - 4 - 13);
  assert.equal(chart[0], '█');
  assert.equal(chart.at(-1), '▁');
  assert.equal(lines.filter((l) => /^│\s+[▁▂▃▄▅▆▇█]/.test(l)).length, 0, 'no wrapped chart line');
  ui.unmount();
});
