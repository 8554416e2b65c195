/**
 * The RLHF chain through the CLI at tiny scale: an imported model → sft → AI feedback (a
 * plugin reward) → reward model → PPO against it, and DPO on the same pairs. A rerun is
 * cached; a run killed with SIGKILL during ppo resumes from its checkpoint with the same loss
 * curve as an uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, cli, cliAsync, collectOutput, ended, events, project } from '../helpers/cli.js';
import { writeChatFixture } from '../helpers/hf-model.js';

const PLUGIN = join(ROOT, 'test/fixtures/plugins/count-a-reward.ts');
const yaml = (ppoIterations: number) => `
name: rlhf-tiny
plugins: [${PLUGIN}]
stages:
  base: { type: model, with: { path: ./models/base } }
  sft: { type: sft, inputs: { model: base }, with: { data: chat.jsonl, validation_fraction: 0.2, steps: 20, batch_size: 4, lr: 0.003, eval_interval: 10 } }
  labels: { type: feedback, inputs: { model: sft }, with: { reward: count_a, prompts_file: prompts.jsonl, chat: true, n: 4, max_tokens: 8, validation_fraction: 0.25 } }
  rm: { type: reward, inputs: { model: sft, data: labels }, with: { steps: 20, batch_size: 4, eval_interval: 10 } }
  ppo: { type: ppo, inputs: { model: sft, reward: rm }, with: { prompts_file: prompts.jsonl, chat: true, iterations: ${ppoIterations}, batch_size: 8, mini_batch_size: 4, ppo_epochs: 2, max_new_tokens: 8, checkpoint_interval: 4 } }
  dpo: { type: dpo, inputs: { model: sft, data: labels }, with: { steps: 10, batch_size: 4, eval_interval: 5 } }
`;

async function setUp(iterations: number): Promise<string> {
  const dir = await project(yaml(iterations));
  await writeChatFixture(dir);
  return dir;
}

/** ppo's training loss by step, from a --json run's output. */
function ppoLosses(stdout: string): Map<number, number> {
  return new Map(events(stdout).filter((e) => e.event === 'stageMetric' && e.name === 'ppo' && e.metric === 'loss').map((e) => [e.step as number, e.value as number]));
}

test('model → sft → feedback → reward → ppo (+ dpo): end to end, cached, and kill -9 during ppo resumes on the same curve', { timeout: 300_000 }, async () => {
  const full = await setUp(6);
  const first = cli(['run', '--json'], full);
  assert.equal(first.code, 0, first.stderr + first.stdout.slice(-3000));
  assert.deepEqual(ended(first.stdout, 'done'), ['base', 'dpo', 'labels', 'ppo', 'rm', 'sft']);
  const straight = ppoLosses(first.stdout);
  assert.ok(straight.size >= 8, `ppo logged ${straight.size} steps`);
  assert.deepEqual(ended(cli(['run', '--json'], full).stdout, 'cached'), ['base', 'dpo', 'labels', 'ppo', 'rm', 'sft']);

  const killed = await setUp(6);
  const child = cliAsync(['run', '--json', '--until', 'ppo'], killed);
  const out = collectOutput(child);
  const t0 = Date.now();
  while (!ppoLosses(out.text).has(6)) { // past the step-4 checkpoint
    assert.ok(Date.now() - t0 < 240_000, `ppo never reached step 6:\n${out.text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const again = cli(['run', '--json', '--until', 'ppo'], killed);
  assert.equal(again.code, 0, again.stderr + again.stdout.slice(-3000));
  const log = events(again.stdout).filter((e) => e.event === 'stageLog' && e.name === 'ppo').map((e) => e.message as string);
  const from = log.map((m) => /resumed from \S+ \(step (\d+)\)/.exec(m)).find(Boolean);
  assert.ok(from, `ppo resumed: ${log.join(' | ')}`);
  const resumed = ppoLosses(again.stdout);
  const k = Number(from![1]);
  assert.ok(k >= 4 && resumed.size > 0 && !resumed.has(k), `resumed at step ${k}, then logged ${[...resumed.keys()].join(',')}`);
  for (const [step, loss] of resumed) assert.ok(Math.abs(loss - straight.get(step)!) < 1e-5, `step ${step}: ${loss} vs uninterrupted ${straight.get(step)}`);
});
