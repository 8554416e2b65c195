/**
 * The ppo stage on a bandit-like toy: a tiny random-init GPT over a few characters, reward =
 * the count of 'a' in the completion (a test plugin reward). The mean score rises clearly with
 * a finite KL, the outputs are a loadable model folder and a report, per-iteration metrics
 * reach the history, and resume after an abort gives the uninterrupted curve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import stage from '../../../src/stages/ppo/index.js';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import { initParams } from '../../../src/model/gpt.js';
import { definePlugin, defineReward } from '../../../src/plugins/define.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { runStage, tempDir, type RunStageResult, abortAtStep, finalMetrics } from '../../helpers/stage-tester.js';
import { nativeSkipReason } from '../backends/native/harness.js';

const backend = (await nativeSkipReason()) ? 'wasm' : 'native';

const countA = defineReward({ name: 'count-a', score: ({ completion }) => [...completion].filter((c) => c === 'a').length });
const plugins = [definePlugin({ name: 'test-rewards', version: '1.0.0', rewards: { 'count-a': countA } })];

async function fixture(): Promise<{ model: string; cwd: string }> {
  const cwd = await tempDir('trainyard-ppo-');
  const tok = charTokenizer(['abcdefgh xyz']);
  await writeFile(join(cwd, 'tok.json'), JSON.stringify(tok.toJSON()));
  const model = join(cwd, 'base');
  await mkdir(model);
  const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, vocab_size: tok.vocabSize, dropout: 0 };
  await saveModelFolder(model, cfg, initParams(cfg, 3), { tokenizerPath: join(cwd, 'tok.json') });
  return { model, cwd };
}

const fx = fixture();
const opts = { reward: 'count-a', prompts: ['x', 'y', 'z', 'xy'], batch_size: 16, mini_batch_size: 8, ppo_epochs: 2, max_new_tokens: 8, lr: 1e-2, iterations: 10, eval_samples: 8 };
const series = (r: RunStageResult, name: string) => new Map(r.metrics.filter((m) => m.name === name && m.step !== undefined).map((m) => [m.step!, m.value]));
const final = finalMetrics;


test('PPO on a toy bandit: the count of "a" rises clearly, KL stays finite; model folder and report written', async () => {
  const f = await fx;
  const t0 = performance.now();
  const res = await runStage(stage, { backend, cwd: f.cwd, plugins, inputs: { model: f.model }, options: opts });
  const m = final(res);
  const scores = [...series(res, 'score_mean').values()];
  assert.equal(scores.length, 10);
  assert.ok(m.score_after! > m.score_before! + 1, `eval score ${m.score_before} → ${m.score_after}`);
  assert.ok(scores.slice(-2).reduce((a, b) => a + b) / 2 > scores[0]! + 1, `rollout scores ${scores.map((s) => s.toFixed(2)).join(' ')}`);
  assert.ok(Number.isFinite(m.kl_after) && m.kl_after! > 0, `KL ${m.kl_after}`);
  for (const name of ['kl', 'kl_coef', 'policy_entropy', 'clipfrac', 'approx_kl', 'value_loss', 'policy_loss']) assert.equal(series(res, name).size, 10, name);
  assert.ok(res.logs.some((l) => l.includes('adaptive KL β₀ 0.2 → target 6, horizon 1000')), 'defaults printed');
  assert.deepEqual((await readdir(res.outputs.model!)).sort(), ['config.json', 'model.safetensors', 'tokenizer.json']);
  assert.deepEqual((await readdir(res.outputs.report!)).sort(), ['metrics.json', 'report.md', 'samples.jsonl']);
  console.log(`score ${m.score_before} → ${m.score_after}, KL ${m.kl_after}, ${((performance.now() - t0) / 1000).toFixed(1)} s, step ${(m.steps! > 0 ? (performance.now() - t0) / m.steps! : 0).toFixed(0)} ms/step incl. rollouts`);
});

test('resume is exact: an abort mid-iteration then a rerun gives the uninterrupted losses and scores', async () => {
  const f = await fx;
  const o = { ...opts, iterations: 3 };
  const run = (root: string, signal?: AbortSignal) => runStage(stage, { backend, root, signal, plugins, cwd: f.cwd, inputs: { model: f.model }, options: o });
  const full = await run(await tempDir());
  const root = await tempDir();
  await assert.rejects(run(root, abortAtStep(7)), (e: TrainyardError) => e.code === 'E_ABORTED');
  const resumed = await run(root);
  assert.ok(resumed.logs.some((x) => x.includes('(step 7)')), resumed.logs.join('\n'));
  const a = series(full, 'loss'), b = series(resumed, 'loss');
  for (let s = 8; s <= 12; s++) assert.ok(Math.abs(a.get(s)! - b.get(s)!) < 1e-5, `step ${s}: ${b.get(s)} vs ${a.get(s)}`);
  assert.equal(series(resumed, 'score_mean').get(12), series(full, 'score_mean').get(12));
});

test('no reward: E_SCHEMA naming both ways to give one', async () => {
  const f = await fx;
  await assert.rejects(runStage(stage, { backend, cwd: f.cwd, inputs: { model: f.model }, options: { prompts: ['x'] } }),
    (e: TrainyardError) => e.code === 'E_SCHEMA' && /with\.reward/.test(e.message));
});

test('prompts_file: JSONL {"prompt"} lines relative to the pipeline file, in the cache key; a bad line names file:line', async () => {
  const f = await fx;
  await writeFile(join(f.cwd, 'prompts.jsonl'), '{"prompt": "x"}\n{"prompt": "yz"}\n');
  assert.deepEqual(await stage.externalDeps!({ prompts_file: 'prompts.jsonl' } as never, { cwd: f.cwd }), [join(f.cwd, 'prompts.jsonl')]);
  const { promptTexts } = await import('../../../src/stages/ppo/prompts.js');
  assert.deepEqual(await promptTexts({ prompts_file: 'prompts.jsonl' } as never, f.cwd), ['x', 'yz']);
  await writeFile(join(f.cwd, 'bad.jsonl'), '{"prompt": "x"}\n{"text": "y"}\n');
  await assert.rejects(promptTexts({ prompts_file: 'bad.jsonl' } as never, f.cwd), (e: TrainyardError) => e.code === 'E_ARTIFACT' && /bad\.jsonl:2/.test(e.message));
  await assert.rejects(promptTexts({ prompts_file: 'none.jsonl' } as never, f.cwd), (e: TrainyardError) => e.code === 'E_FILE_NOT_FOUND');
});

test('eval_prompts_file and eval_reward: held-out prompts, scored by a second reward before and after', async () => {
  const f = await fx;
  await writeFile(join(f.cwd, 'held-out.jsonl'), '{"prompt": "zz"}\n{"prompt": "yx"}\n');
  assert.deepEqual(await stage.externalDeps!({ prompts_file: 'p.jsonl', eval_prompts_file: 'held-out.jsonl' } as never, { cwd: f.cwd }), [join(f.cwd, 'p.jsonl'), join(f.cwd, 'held-out.jsonl')]);
  const countB = defineReward({ name: 'count-b', score: ({ completion }) => [...completion].filter((c) => c === 'b').length });
  const both = [definePlugin({ name: 'test-rewards', version: '1.0.0', rewards: { 'count-a': countA, 'count-b': countB } })];
  const res = await runStage(stage, { backend, cwd: f.cwd, plugins: both, inputs: { model: f.model }, options: { ...opts, iterations: 6, eval_prompts_file: 'held-out.jsonl', eval_reward: 'count-b' } });
  const m = final(res);
  const { readFile } = await import('node:fs/promises');
  const samples = (await readFile(join(res.outputs.report!, 'samples.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(samples.length, 2 * opts.eval_samples);
  assert.deepEqual([...new Set(samples.map((s) => s.prompt))], ['zz', 'yx']);
  for (const s of samples) {
    assert.equal(s.before_gold, [...s.before].filter((c) => c === 'b').length, 'the eval reward scores the same text');
    assert.equal(s.before_score, [...s.before].filter((c) => c === 'a').length);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(m.gold_before! - mean(samples.map((s) => s.before_gold))) < 1e-6);
  assert.ok(Math.abs(m.gold_after! - mean(samples.map((s) => s.after_gold))) < 1e-6);
  assert.ok(Math.abs(m.gold_gain_in_std! - (m.gold_after! - m.gold_before!) / (m.gold_std_before! || 1)) < 1e-6);
  assert.ok(res.logs.some((l) => /eval reward "count-b": [\d.]+ → [\d.]+, [+-][\d.]+ std of the starting policy's/.test(l)), res.logs.join('\n'));
  assert.ok(m.score_after! > m.score_before!, 'the trained reward still rises on held-out prompts');
});
