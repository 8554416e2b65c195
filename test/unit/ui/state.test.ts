/**
 * UiState: lifecycle events → stage rows with rate/ETA, the training panel, logs, summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UiState } from '../../../src/ui/state.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

const info = { runId: 'r1', pipeline: '/p/tiny.yaml', stages: [{ name: 'src', type: 'source', willRun: true, reason: '' }, { name: 'train', type: 'pretrain', willRun: true, reason: '' }] };

test('rows follow the stage lifecycle; rate and ETA come from progress over time', () => {
  const c = clock();
  const m = new UiState({ now: c.now });
  let changes = 0;
  m.subscribe(() => { changes++; });
  m.runStart(info);
  assert.deepEqual(m.snapshot().stages.map((s) => [s.name, s.status]), [['src', 'queued'], ['train', 'queued']]);
  m.stageCached('src', { docs: '/store/x/docs' });
  m.stageStart('train', 'pretrain');
  c.advance(2000);
  m.stageProgress('train', { done: 0, total: 100, unit: 'steps' });
  c.advance(10_000);
  m.stageProgress('train', { done: 25, total: 100, unit: 'steps' });
  const row = m.snapshot().stages[1]!;
  assert.equal(row.status, 'running');
  assert.equal(row.rate, 2.5);
  assert.equal(row.etaMs, 30_000);
  m.stageEnd({ name: 'train', status: 'done', durationMs: 12_000, outputs: { model: '/store/y/model' }, metrics: { val_loss: 2.5 } });
  m.runEnd({ runId: 'r1', ok: true, durationMs: 12_500, counts: { cached: 1, done: 1, failed: 0, cancelled: 0, skipped: 0 } });
  const s = m.snapshot();
  assert.deepEqual(s.stages.map((r) => r.status), ['cached', 'done']);
  assert.equal(s.stages[1]!.etaMs, undefined);
  assert.equal(s.summary?.counts.cached, 1);
  assert.ok(changes >= 7);
});

test('the training panel tracks loss, val loss, lr, tokens/s, steps and the latest sample', () => {
  const c = clock();
  const m = new UiState({ now: c.now });
  m.runStart(info);
  m.stageStart('train', 'pretrain');
  m.stageLog('train', 'info', 'sample at step 1: "ignored: no training yet"');
  assert.equal(m.snapshot().training, undefined);
  for (let step = 1; step <= 4; step++) {
    m.stageMetric('train', 'loss', 5 - step * 0.5, step);
    m.stageMetric('train', 'lr', 1e-3 * step, step);
    m.stageMetric('train', 'tokens_per_s', 1000 + step, step);
    m.stageMetric('train', 'grad_norm', 1, step);
    c.advance(1000);
    m.stageProgress('train', { done: step, total: 10, unit: 'steps' });
  }
  m.stageMetric('train', 'val_loss', 3.1, 4);
  m.stageLog('train', 'info', 'sample at step 4: "Call me \\"Ishmael\\"."');
  const t = m.snapshot().training!;
  assert.equal(t.stage, 'train');
  assert.deepEqual(t.loss, [4.5, 4, 3.5, 3]);
  assert.deepEqual(t.valLoss, [{ step: 4, value: 3.1 }]);
  assert.equal(t.lr, 4e-3);
  assert.equal(t.tokensPerS, 1004);
  assert.equal(t.step, 4);
  assert.equal(t.total, 10);
  assert.ok(t.etaMs! > 0);
  assert.deepEqual(t.sample, { step: 4, text: 'Call me "Ishmael".' });
});

test('logs are bounded; debug lines only when verbose; failures keep their message', () => {
  const m = new UiState({ maxLogs: 3 });
  m.runStart(info);
  for (let i = 0; i < 5; i++) m.stageLog('src', 'info', `line ${i}`);
  m.stageLog('src', 'debug', 'runs because: never ran');
  assert.deepEqual(m.snapshot().logs.map((l) => l.message), ['line 2', 'line 3', 'line 4']);
  const v = new UiState({ verbose: true });
  v.stageLog('src', 'debug', 'runs because: never ran');
  assert.equal(v.snapshot().logs.length, 1);
  m.stageEnd({ name: 'src', status: 'failed', durationMs: 5, error: { code: 'E_NO_INPUT', message: 'No files match x', hint: 'Check the glob' } });
  assert.equal(m.snapshot().stages[0]!.error, 'E_NO_INPUT: No files match x (Check the glob)');
});
