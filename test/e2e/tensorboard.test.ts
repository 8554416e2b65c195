/**
 * End to end: `with: { tensorboard: true }` on a tiny pretrain. The model artifact holds
 * tensorboard/ with every per-step metric of the run record (same steps, same values as
 * float32), read by the independent Python reader; raising `steps` resumes and continues the
 * log without a repeated step; `report` still works. Unset or `false` leaves every cache
 * key alone; `true` on a finished stage re-runs it from its final checkpoint, not from scratch.
 * sft, reward, ppo and dpo (a tiny RLHF chain) log every stepped metric too: the pair
 * statistics, PPO's rollout metrics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cli, ended, events, project } from '../helpers/cli.js';
import { writeChatFixture } from '../helpers/hf-model.js';
import { tinyProject } from '../helpers/tiny.js';
import { HAS_PYTHON, NO_PYTHON, pyReadEvents, scalarsByTag } from '../helpers/tfevents.js';

const PRETRAIN = 'eval_iters: 1, sample_interval: 0 }';

function edit(dir: string, from: string, to: string): void {
  const file = join(dir, 'pipeline.yaml');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), from);
  writeFileSync(file, text.replace(from, to));
}

/** The event files in the pretrain model artifact of the run's last result. */
function artifactEventFiles(json: string, stage = 'pretrain'): string[] {
  const end = events(json).find((e) => e.event === 'stageEnd' && e.name === stage);
  assert.ok(end, json);
  const tb = join(end.outputs.model, 'tensorboard');
  assert.ok(existsSync(tb), `${tb} exists`);
  return readdirSync(tb).filter((n) => n.startsWith('events.out.tfevents.')).sort().map((n) => join(tb, n));
}

/** A stage's stepped metrics from the last run's record: tag → step → value. */
function recordHistory(dir: string, stage = 'pretrain'): Map<string, Map<number, number>> {
  const runs = readdirSync(join(dir, '.trainyard/runs')).sort();
  const out = new Map<string, Map<number, number>>();
  for (const line of readFileSync(join(dir, '.trainyard/runs', runs.at(-1)!, `${stage}.history.jsonl`), 'utf8').trim().split('\n')) {
    const { step, ...rest } = JSON.parse(line) as Record<string, number>;
    for (const [k, v] of Object.entries(rest)) out.set(k, (out.get(k) ?? new Map()).set(step!, v));
  }
  return out;
}

test('tensorboard: the model artifact carries an event log of every stepped metric; a resume continues it once', { skip: HAS_PYTHON ? false : NO_PYTHON }, async () => {
  const dir = await tinyProject();
  edit(dir, 'steps: 2,', 'steps: 4,');
  edit(dir, PRETRAIN, 'eval_iters: 1, sample_interval: 0, tensorboard: true }');
  const first = cli(['run', '--json'], dir);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /tensorboard: event log written as it trains; follow it with: tensorboard --logdir \S+\/\.trainyard\/checkpoints\/\w+\/tensorboard/);
  const files = artifactEventFiles(first.stdout);
  assert.equal(files.length, 1);
  const py = pyReadEvents(files);
  assert.equal(py.error, undefined);
  assert.equal(py.events[0]!.file_version, 'brain.Event:2');
  const tb = scalarsByTag(py.events);
  assert.deepEqual([...tb.get('loss')!.keys()], [1, 2, 3, 4]);
  assert.deepEqual([...tb.get('val_loss')!.keys()], [2, 4]);
  const history = recordHistory(dir);
  assert.deepEqual([...tb.keys()].sort(), [...history.keys()].sort(), 'the same metrics as the run record');
  for (const [tag, steps] of history) {
    assert.deepEqual([...tb.get(tag)!].map(([s, v]) => [s, v]), [...steps].map(([s, v]) => [s, Math.fround(v)]), tag);
  }
  const options = py.events.find((e) => e.values?.[0]?.tag === 'options')!.values![0]!;
  assert.equal(options.plugin, 'text');
  assert.match(options.text!, /\| n_embd \| 16 \|/);

  edit(dir, 'steps: 4,', 'steps: 6,');
  const second = cli(['run', '--json'], dir);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /resumed from \S+step-00000004 \(step 4\)/);
  const resumed = artifactEventFiles(second.stdout);
  assert.equal(resumed.length, 2, 'one file per session');
  const all = scalarsByTag(pyReadEvents(resumed).events); // throws on a step logged twice
  assert.deepEqual([...all.get('loss')!.keys()], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...all.get('val_loss')!.keys()], [2, 4, 6]);

  const report = cli(['report', '-o', 'out/report.html'], dir);
  assert.equal(report.code, 0, report.stdout + report.stderr);
  assert.ok(readFileSync(join(dir, 'out/report.html'), 'utf8').includes('<section id="training">'));
});

test('tensorboard: unset or false keeps every cache key; true re-runs the stage from its final checkpoint', async () => {
  const dir = await tinyProject();
  const first = cli(['run', '--json'], dir);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  edit(dir, PRETRAIN, 'eval_iters: 1, sample_interval: 0, tensorboard: false }');
  const off = cli(['run', '--json'], dir);
  assert.equal(off.code, 0, off.stdout + off.stderr);
  assert.deepEqual(ended(off.stdout, 'cached'), ['eval', 'pretrain', 'raw', 'split', 'tokenize']);
  edit(dir, 'tensorboard: false', 'tensorboard: true');
  const status = cli(['status', 'pretrain'], dir);
  assert.match(status.stdout + status.stderr, /with\.tensorboard \(unset\) → true/);
  const on = cli(['run', '--json'], dir);
  assert.equal(on.code, 0, on.stdout + on.stderr);
  assert.deepEqual(ended(on.stdout, 'done'), ['eval', 'pretrain'], 'the model folder gained tensorboard/, so eval re-runs');
  assert.match(on.stdout, /resumed from \S+step-00000002 \(step 2\)/);
  assert.match(on.stdout, /tensorboard: the event log starts at step 2/);
  assert.equal(artifactEventFiles(on.stdout).length, 1);
});

const PLUGIN = join(ROOT, 'test/fixtures/plugins/count-a-reward.ts');
const RLHF = `
name: rlhf-tensorboard
plugins: [${PLUGIN}]
stages:
  base: { type: model, with: { path: ./models/base } }
  sft: { type: sft, inputs: { model: base }, with: { data: chat.jsonl, validation_fraction: 0.2, steps: 6, batch_size: 4, lr: 0.003, eval_interval: 3, tensorboard: true } }
  labels: { type: feedback, inputs: { model: sft }, with: { reward: count_a, prompts_file: prompts.jsonl, chat: true, n: 4, max_tokens: 8, validation_fraction: 0.25 } }
  rm: { type: reward, inputs: { model: sft, data: labels }, with: { steps: 6, batch_size: 4, eval_interval: 3, tensorboard: true } }
  ppo: { type: ppo, inputs: { model: sft, reward: rm }, with: { prompts_file: prompts.jsonl, chat: true, iterations: 2, batch_size: 8, mini_batch_size: 4, ppo_epochs: 2, max_new_tokens: 8, tensorboard: true } }
  dpo: { type: dpo, inputs: { model: sft, data: labels }, with: { steps: 4, batch_size: 4, eval_interval: 2, tensorboard: true } }
`;

test('tensorboard: sft, reward, ppo and dpo log every stepped metric of their run record', { skip: HAS_PYTHON ? false : NO_PYTHON, timeout: 120_000 }, async () => {
  const dir = await project(RLHF);
  await writeChatFixture(dir);
  const run = cli(['run', '--json'], dir);
  assert.equal(run.code, 0, run.stderr + run.stdout.slice(-3000));
  const expected = { sft: ['loss', 'val_loss'], rm: ['rewards/accuracies', 'rewards/margins'], ppo: ['score_mean', 'kl', 'clipfrac', 'approx_kl'], dpo: ['rewards/accuracies', 'val_loss'] };
  for (const [stage, tags] of Object.entries(expected)) {
    const py = pyReadEvents(artifactEventFiles(run.stdout, stage));
    assert.equal(py.error, undefined, stage);
    const tb = scalarsByTag(py.events);
    const history = recordHistory(dir, stage);
    assert.deepEqual([...tb.keys()].sort(), [...history.keys()].sort(), stage);
    for (const [tag, steps] of history) assert.deepEqual([...tb.get(tag)!.keys()], [...steps.keys()], `${stage} ${tag}`);
    for (const tag of tags) assert.ok(tb.has(tag), `${stage} logs ${tag}`);
  }
});
