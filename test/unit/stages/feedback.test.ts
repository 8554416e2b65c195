/**
 * The feedback stage (AI feedback) on a tiny random model with a test reward plugin (count of
 * 'a's): every pair's chosen scores above its rejected, ties are skipped and counted, the pairs
 * split into train/validation, prompts come from a list, a JSONL file or an sft input, the
 * reward's options reach it, and an unknown reward or no prompts are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import stage from '../../../src/stages/feedback/index.js';
import { defineReward, definePlugin } from '../../../src/index.js';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import { initParams } from '../../../src/model/gpt.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { TrainyardError } from '../../../src/errors/index.js';
import { runStage, tempDir } from '../../helpers/stage-tester.js';

const PROMPTS = ['say a', 'banana', 'abc', 'more a please', 'aaa', 'b', 'cab', 'data', 'lava', 'java', 'saga', 'drama'];

/** Score: how many times `letter` (default 'a') appears in the completion. */
const countA = defineReward<{ letter: string }>({
  name: 'count_a',
  schema: { type: 'object', properties: { letter: { type: 'string', default: 'a' } }, additionalProperties: false },
  score: ({ completion }, o) => completion.split(o.letter).length - 1,
});
const constant = defineReward({ name: 'constant', score: () => 1 });
const plugin = definePlugin({ name: 'test-rewards', version: '1.0.0', rewards: { count_a: countA, constant } });

async function fixture(): Promise<{ model: string; cwd: string }> {
  const cwd = await tempDir('trainyard-feedback-');
  const tok = charTokenizer([PROMPTS.join('\n') + ' abcdefghijklmnopqrstuvwxyz']);
  const model = join(cwd, 'base');
  await mkdir(model);
  await writeFile(join(cwd, 'tok.json'), JSON.stringify(tok.toJSON()));
  const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 32, vocab_size: tok.vocabSize, dropout: 0 };
  await saveModelFolder(model, cfg, initParams(cfg, 1), { tokenizerPath: join(cwd, 'tok.json') });
  return { model, cwd };
}
const fx = fixture();
const read = async (f: string) => (await readFile(f, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const base = { n: 4, max_tokens: 12, validation_fraction: 0.25 };

test('best vs worst by the reward: chosen scores above rejected, split into train and validation, deterministic', async () => {
  const f = await fx;
  const run = () => runStage(stage, { cwd: f.cwd, inputs: { model: f.model }, plugins: [plugin], options: { ...base, reward: 'count_a', prompts: PROMPTS } });
  const res = await run();
  const train = await read(join(res.outputs.pairs!, 'train.jsonl'));
  const val = await read(join(res.outputs.pairs!, 'validation.jsonl'));
  const all = [...train, ...val];
  assert.ok(all.length >= 6, `${all.length} pairs`);
  assert.ok(val.length >= 1 && train.length > val.length);
  for (const p of all) {
    assert.ok(PROMPTS.includes(p.prompt));
    assert.equal(typeof p.chosen, 'string');
    assert.ok(p.chosen_score > p.rejected_score, JSON.stringify(p));
    assert.equal(p.chosen_score, p.chosen.split('a').length - 1);
    assert.equal(p.rejected_score, p.rejected.split('a').length - 1);
  }
  assert.equal(res.stats.pairs, all.length);
  assert.equal(res.stats.skipped_ties, PROMPTS.length - all.length);
  assert.ok(res.logs.some((l) => l.includes('feedback: 12 prompts × n 4, reward count_a, temperature 1')), 'defaults printed');
  const again = await run();
  assert.equal(await readFile(join(again.outputs.pairs!, 'train.jsonl'), 'utf8'), await readFile(join(res.outputs.pairs!, 'train.jsonl'), 'utf8'));
});

test('reward options reach the reward; a reward that never separates gives no pairs (all ties counted)', async () => {
  const f = await fx;
  const res = await runStage(stage, { cwd: f.cwd, inputs: { model: f.model }, plugins: [plugin], options: { ...base, reward: 'count_a', reward_options: { letter: 'e' }, prompts: PROMPTS.slice(0, 4) } });
  for (const p of await read(join(res.outputs.pairs!, 'train.jsonl'))) assert.equal(p.chosen_score, p.chosen.split('e').length - 1);
  const flat = await runStage(stage, { cwd: f.cwd, inputs: { model: f.model }, plugins: [plugin], options: { ...base, reward: 'constant', prompts: PROMPTS.slice(0, 3) } });
  assert.equal(flat.stats.pairs, 0);
  assert.equal(flat.stats.skipped_ties, 3);
  assert.equal(await readFile(join(flat.outputs.pairs!, 'train.jsonl'), 'utf8'), '');
});

test('prompts from a JSONL file (relative to the pipeline) and an sft input; the file is an external dependency', async () => {
  const f = await fx;
  await writeFile(join(f.cwd, 'prompts.jsonl'), '{"prompt":"banana"}\n"lava"\n');
  const sft = join(f.cwd, 'sft');
  await mkdir(sft, { recursive: true });
  await writeFile(join(sft, 'train.jsonl'), JSON.stringify({ messages: [{ role: 'user', content: 'saga' }, { role: 'assistant', content: 'x' }] }) + '\n');
  const res = await runStage(stage, { cwd: f.cwd, inputs: { model: f.model, prompts: sft }, plugins: [plugin], options: { ...base, validation_fraction: 0, reward: 'count_a', prompts_file: 'prompts.jsonl' } });
  assert.equal(res.stats.prompts, 3);
  assert.ok(res.logs.some((l) => l.includes('feedback: 3 prompts')));
  assert.deepEqual(await stage.externalDeps!({ ...(res.options as Record<string, unknown>), prompts_file: "prompts.jsonl" } as never, { cwd: f.cwd }), [join(f.cwd, 'prompts.jsonl')]);
});

test('an unknown reward is E_UNKNOWN_REWARD with a suggestion; no prompts is E_SCHEMA', async () => {
  const f = await fx;
  await assert.rejects(runStage(stage, { cwd: f.cwd, inputs: { model: f.model }, plugins: [plugin], options: { reward: 'count_b', prompts: ['a'] } }),
    (e: unknown) => e instanceof TrainyardError && e.code === 'E_UNKNOWN_REWARD' && /count_a/.test(e.message));
  await assert.rejects(runStage(stage, { cwd: f.cwd, inputs: { model: f.model }, plugins: [plugin], options: { reward: 'count_a' } }),
    (e: unknown) => e instanceof TrainyardError && e.code === 'E_SCHEMA' && /no prompts/.test(e.message));
});

test('pairs_per_prompt: disjoint best/worst pairs per prompt, each chosen above its rejected, a prompt in one split only', async () => {
  const f = await fx;
  const res = await runStage(stage, { cwd: f.cwd, inputs: { model: f.model }, plugins: [plugin], options: { ...base, n: 6, pairs_per_prompt: 3, validation_fraction: 0.3, reward: 'count_a', prompts: PROMPTS } });
  const train = await read(join(res.outputs.pairs!, 'train.jsonl'));
  const val = await read(join(res.outputs.pairs!, 'validation.jsonl'));
  const all = [...train, ...val];
  assert.ok(all.length > Number(res.stats.prompts) - Number(res.stats.skipped_ties), `${all.length} pairs from ${res.stats.prompts} prompts`);
  for (const p of all) assert.ok(Number(p.chosen_score) > Number(p.rejected_score));
  const trainPrompts = new Set(train.map((p) => p.prompt));
  for (const p of val) assert.ok(!trainPrompts.has(p.prompt), 'a prompt\'s pairs stay in one split');
});
