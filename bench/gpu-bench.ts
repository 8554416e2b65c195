/**
 * @fileoverview The GPU benchmark behind bench/gpu.sh (bundled by bench/gpu-pack.mjs so it
 * runs without node_modules): GPT training tokens/s on a backend (default `cuda`) for the
 * 6×384 T256 and 12×768 T1024 (GPT-2 small) configs, and the Moby Dick char model
 * (pipelines/moby-dick-char.yaml's 4L 4H 128d T64 B12, 2000 steps) on the backend, its final
 * loss (mean of the last 20 steps), and the first steps on `cpu` (slow) to check that both take
 * the same trajectory. Prints one JSON object.
 *
 *   node gpu-bench.mjs --backend cuda --steps 20 --moby-steps 300 --book data.txt [--only tps|moby]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../src/backends/index.js';
import { GPT, initParams } from '../src/model/gpt.js';
import { Trainer } from '../src/train/trainer.js';

const { values: o } = parseArgs({ options: {
  backend: { type: 'string', default: 'cuda' }, steps: { type: 'string', default: '20' },
  'moby-steps': { type: 'string', default: '2000' }, 'moby-cpu-steps': { type: 'string', default: '10' }, book: { type: 'string' }, only: { type: 'string' },
  small: { type: 'boolean', default: false },
} });

const ADAMW = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };

function trainer(cfg: { n_layer: number; n_head: number; n_embd: number; block_size: number; vocab_size: number }, data: Uint16Array, batch: number) {
  const model = new GPT({ ...cfg, dropout: 0 }, initParams({ ...cfg, dropout: 0 }, 1));
  const t = new Trainer(model, data, { batchSize: batch, gradAccum: 1, gradClip: 1, seed: 1,
    schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 10, decaySteps: 5000 }, adamw: ADAMW });
  return { model, t };
}

/** Tokens per second over `steps` steps after 2 warm-up steps (each step ends with a host read of the loss). */
async function tokensPerSecond(name: string, cfg: Parameters<typeof trainer>[0], batch: number, steps: number) {
  await setupBackend(o.backend!);
  const data = Uint16Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) % cfg.vocab_size);
  const { model, t } = trainer(cfg, data, batch);
  t.trainStep(); t.trainStep();
  const t0 = performance.now();
  let loss = 0;
  for (let s = 0; s < steps; s++) loss = t.trainStep().loss;
  const seconds = (performance.now() - t0) / 1000;
  t.dispose(); model.dispose();
  return { name, backend: o.backend, batch, block: cfg.block_size, steps, tokens_per_s: (batch * cfg.block_size * steps) / seconds, last_loss: loss };
}

/** The Moby Dick char model for `steps` steps on `backend`: mean of the last 20 train losses. */
async function moby(backend: string, steps: number) {
  const text = readFileSync(o.book!, 'utf8');
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  const data = Uint16Array.from(text, (c) => index.get(c)!);
  await setupBackend(backend);
  const cfg = { n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, vocab_size: chars.length };
  const { model, t } = trainer(cfg, data, 12);
  const losses: number[] = [];
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) losses.push(t.trainStep().loss);
  const seconds = (performance.now() - t0) / 1000;
  t.dispose(); model.dispose();
  const tail = losses.slice(-20);
  return { backend, steps, losses_head: losses.slice(0, Number(o['moby-cpu-steps'])), final_loss: tail.reduce((a, b) => a + b, 0) / tail.length, seconds };
}

const steps = Number(o.steps);
const out: Record<string, unknown> = { backend: o.backend, tf: tf.version_core };
if (!o.only || o.only === 'tps') {
  out.tps = [
    await tokensPerSecond('6x384 T256', { n_layer: 6, n_head: 6, n_embd: 384, block_size: o.small ? 32 : 256, vocab_size: 65 }, o.small ? 2 : 16, steps),
    await tokensPerSecond('12x768 T1024', o.small ? { n_layer: 2, n_head: 2, n_embd: 64, block_size: 32, vocab_size: 512 } : { n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024, vocab_size: 50304 }, o.small ? 2 : 8, steps),
  ];
}
if ((!o.only || o.only === 'moby') && o.book) {
  const n = Number(o['moby-steps']);
  // The JS cpu backend is slow: it runs the first steps only, to check the same trajectory.
  const [dev, cpu] = [await moby(o.backend!, n), await moby('cpu', Number(o['moby-cpu-steps']))];
  const gap = Math.max(...cpu.losses_head.map((l, i) => Math.abs(l - dev.losses_head[i]!)));
  out.moby = { device: dev, cpu, max_loss_gap_first_steps: gap };
}
console.log(JSON.stringify(out));
