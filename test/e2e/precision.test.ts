/**
 * End to end: `precision: bf16` with `backend: cuda-emulated` on the tiny pipeline. pretrain
 * runs at bf16 (its log line says so); going back to fp32 re-runs pretrain (`status` says
 * `precision bf16 → fp32`) and what reads its model, but not the data stages; `--set
 * backend=cpu` with bf16 is refused before anything runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ended, events } from '../helpers/cli.js';
import { tinyProject } from '../helpers/tiny.js';
import { backendSkipReason } from '../unit/backends/native/harness.js';

const skip = await backendSkipReason('cuda-emulated');

test('precision: bf16 trains on cuda-emulated, enters the training key, and is refused on cpu', { skip, timeout: 120_000 }, async () => {
  const dir = await tinyProject();
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('backend: cpu\n', 'backend: cuda-emulated\nprecision: bf16\n'));
  const first = cli(['run', '--json'], dir);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const logs = events(first.stdout).filter((e) => e.event === 'stageLog' && e.name === 'pretrain').map((e) => e.message as string);
  assert.ok(logs.some((m) => m.startsWith('cuda-emulated backend (bf16 matmuls), ')), logs.join('\n'));

  writeFileSync(file, readFileSync(file, 'utf8').replace('precision: bf16\n', 'precision: fp32\n'));
  assert.match(cli(['status'], dir).stdout, /pretrain\s+will run.*precision bf16 → fp32/);
  const again = cli(['run', '--json'], dir);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(ended(again.stdout, 'done'), ['eval', 'pretrain']);
  assert.deepEqual(ended(again.stdout, 'cached'), ['raw', 'split', 'tokenize']);

  const refused = cli(['run', '--set', 'backend=cpu', '--set', 'precision=bf16'], dir);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout + refused.stderr, /Backend "cpu" cannot run bf16 matmuls: only cuda, cuda-emulated support precision: bf16/);
});
