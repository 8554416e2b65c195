/**
 * The RLHF part of `npm run bench -- train`: on the cpu-config model (4L 4H 128d, block 64,
 * char vocabulary), rollout generation tokens/s (ppo's batched KV-cache sampler, 16 prompts ×
 * 16 new tokens) and the PPO stage's time per optimizer step and per iteration (rollout,
 * reference and value scoring, 4 epochs of minibatch updates), through the real stage with a
 * plugin reward; next to pretraining tokens/s on the same model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableBackends, setupBackend } from '../src/backends/index.js';
import { saveModelFolder } from '../src/model/checkpoint.js';
import { GPT, initParams } from '../src/model/gpt.js';
import { defineReward, definePlugin } from '../src/plugins/define.js';
import ppoStage from '../src/stages/ppo/index.js';
import { sampleCompletions } from '../src/model/batch-sample.js';
import { charTokenizer } from '../src/tokenizer/index.js';
import { Trainer } from '../src/train/trainer.js';
import { runStage, tempDir } from '../test/helpers/stage-tester.js';

const TEXT = 'call me ishmael. some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore';
const vowels = definePlugin({ name: 'bench-reward', version: '1', rewards: { vowels: defineReward({ name: 'vowels', score: ({ completion }) => (completion.match(/[aeiou]/g) ?? []).length }) } });

export async function runRl(): Promise<void> {
  const backend = (await availableBackends())[0]!;
  await setupBackend(backend);
  const tok = charTokenizer([TEXT]);
  const cfg = { n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, vocab_size: tok.vocabSize, dropout: 0 };
  console.log(`\nrlhf (4L 4H 128d, block 64, char vocab ${tok.vocabSize}; ${backend})`);
  const model = new GPT(cfg, initParams(cfg, 1));
  const prompts = Array.from({ length: 16 }, (_, i) => tok.encode(TEXT.slice(i * 3, i * 3 + 12)));
  sampleCompletions(model, prompts, { maxTokens: 16, temperature: 1, topK: 0, topP: 1, stop: [], seed: 0 }); // warm up
  const t0 = performance.now();
  const reps = 3;
  for (let r = 0; r < reps; r++) sampleCompletions(model, prompts, { maxTokens: 16, temperature: 1, topK: 0, topP: 1, stop: [], seed: r + 1 });
  const gen = (performance.now() - t0) / 1000;
  console.log(`  rollout generation   ${((reps * 16 * 16) / gen).toFixed(0).padStart(7)} tokens/s  (16 prompts × 16 new tokens, batched KV cache)`);
  const data = Uint16Array.from({ length: 50_000 }, (_, i) => (i * 7919 + (i >> 3)) % tok.vocabSize);
  const t = new Trainer(model, data, { batchSize: 12, gradAccum: 1, gradClip: 1, seed: 1, schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 2, decaySteps: 100 }, adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 } });
  for (let i = 0; i < 3; i++) t.trainStep();
  const p0 = performance.now();
  for (let i = 0; i < 10; i++) t.trainStep();
  const pms = (performance.now() - p0) / 10;
  console.log(`  pretrain step        ${((12 * 64) / (pms / 1000)).toFixed(0).padStart(7)} tokens/s  (${pms.toFixed(0)} ms/step, B12 × T64, same model)`);
  t.dispose();
  const cwd = await tempDir('trainyard-bench-rl-');
  await mkdir(join(cwd, 'm'));
  await writeFile(join(cwd, 'tok.json'), JSON.stringify(tok.toJSON()));
  await saveModelFolder(join(cwd, 'm'), cfg, await model.weights(), { tokenizerPath: join(cwd, 'tok.json') });
  model.dispose();
  const iterations = 4;
  const s0 = performance.now();
  const res = await runStage(ppoStage, {
    backend, cwd, plugins: [vowels], inputs: { model: join(cwd, 'm') },
    options: { reward: 'vowels', prompts: prompts.map((p) => tok.decode(p)), eval_prompts: [TEXT.slice(0, 12)], eval_samples: 1, iterations, batch_size: 16, mini_batch_size: 4, ppo_epochs: 4, max_new_tokens: 16 },
  });
  const wall = (performance.now() - s0) / 1000;
  const steps = Number(res.stats.steps ?? iterations * 16);
  console.log(`  ppo                  ${((1000 * wall) / steps).toFixed(0).padStart(7)} ms/optimizer step  ${((1000 * wall) / iterations).toFixed(0)} ms/iteration  (16 rollouts × 16 tokens, 4 epochs × minibatch 4; stage wall time incl. eval samples)`);
}
