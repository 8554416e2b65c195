/**
 * `npm run bench -- train`: training throughput (tokens/s, forward + backward + clip + AdamW)
 * of the GPT model per available backend, for nanoGPT's Shakespeare-char CPU config and the
 * "baby GPT" GPU config, plus a per-kernel profile of one step on the default backend.
 * The peer: the same model and recipe in PyTorch (bench/peers/torch_train.py) runs in the same
 * bench when Debian's python3-torch is installed (`apt-get install -y python3-torch`), with 1
 * and with all threads (both printed); the best of the two is the reference. The native
 * backend runs once per GEMM: ours, and OpenBLAS's when the addon links it. Otherwise the figures measured
 * here before (~13,000 and ~1,850 tokens/s) are quoted. Then sft throughput (./_sft.ts):
 * packing on and off, LoRA against full fine-tuning; and RLHF (./_rl.ts): rollout tokens/s
 * and PPO step time next to pretraining on the same model.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { availableBackends, setupBackend } from '../src/backends/index.js';
import { loadAddon, setGemm } from '../src/backends/native/addon.js';
import { GPT, initParams } from '../src/model/gpt.js';
import { Trainer } from '../src/train/trainer.js';
import type { GPTConfig } from '../src/model/config.js';
import { runRl } from './_rl.js';
import { runSft } from './_sft.js';

interface BenchConfig { name: string; model: GPTConfig; batch: number; pytorch: number }


const CONFIGS: BenchConfig[] = [
  { name: 'cpu-config (4L 4H 128d, T64, B12)', model: { n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, vocab_size: 65, dropout: 0 }, batch: 12, pytorch: 13000 },
  { name: 'baby-gpt (6L 6H 384d, T256, B8)', model: { n_layer: 6, n_head: 6, n_embd: 384, block_size: 256, vocab_size: 65, dropout: 0 }, batch: 8, pytorch: 1850 },
];

/** The GEMMs to time on native: ours (best kernel), OpenBLAS when linked in; the default last. */
function nativeGemms(): string[] {
  const info = loadAddon().info();
  const list = [info.gemmBest, ...(info.blasConfig ? ['openblas'] : [])];
  return [...list.filter((g) => g !== info.gemm), info.gemm];
}

function makeTrainer(c: BenchConfig): Trainer {
  const data = Uint16Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 3)) % 65);
  const model = new GPT(c.model, initParams(c.model, 1));
  return new Trainer(model, data, {
    batchSize: c.batch, gradAccum: 1, gradClip: 1, seed: 1,
    schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 10, decaySteps: 1000 },
    adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  });
}


/** Median step time (ms) over `steps` after `warmup` steps. */
function timeSteps(t: Trainer, warmup: number, steps: number): number {
  for (let i = 0; i < warmup; i++) t.trainStep();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    t.trainStep();
    times.push(performance.now() - t0);
  }

  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}


async function profileStep(t: Trainer): Promise<void> {
  const p = await tf.profile(() => { t.trainStep(); });
  const byKernel = new Map<string, { ms: number; n: number }>();
  for (const k of p.kernels) {
    if (k.name === 'forward') continue; // customGrad wrapper: its inner kernels are listed on their own
    const key = k.name === 'BatchMatMul' ? `BatchMatMul ${k.inputShapes[0]!.length === 4 ? '(attention, batched)' : '(2-D)'}` : k.name;
    const a = byKernel.get(key) ?? { ms: 0, n: 0 };
    a.ms += k.kernelTimeMs as number;
    a.n += 1;
    byKernel.set(key, a);
  }

  const total = [...byKernel.values()].reduce((s, a) => s + a.ms, 0);
  console.log(`  kernel profile of one step (${p.kernels.length} kernel calls, ${total.toFixed(0)} ms in kernels):`);
  for (const [name, a] of [...byKernel].sort((x, y) => y[1].ms - x[1].ms).slice(0, Number(process.env.TRAINYARD_PROFILE_TOP ?? 12))) {
    console.log(`    ${name.padEnd(34)} ${String(a.n).padStart(5)} calls ${a.ms.toFixed(1).padStart(8)} ms ${((100 * a.ms) / total).toFixed(1).padStart(5)}%`);
  }

}


const PY = '/usr/bin/python3';
/** The environment as the user had it: loading the native backend sets OMP_WAIT_POLICY for
 *  this process, which must not leak into the PyTorch peer (it runs with its own defaults). */
const PEER_ENV = { ...process.env };

/** PyTorch tokens/s for a config at 1 thread and all threads (the best is the reference), or undefined without torch. */
function pytorchTokensPerS(c: BenchConfig, steps: number): { tps: number; threads: number; all: Array<{ tps: number; threads: number }> } | undefined {
  if (!existsSync(PY)) return undefined;
  const script = fileURLToPath(new URL('./peers/torch_train.py', import.meta.url));
  const m = c.model;
  const all: Array<{ tps: number; threads: number }> = [];
  for (const threads of [...new Set([1, availableParallelism()])]) {
    const args = [m.n_layer, m.n_head, m.n_embd, m.block_size, c.batch, m.vocab_size, steps, threads].map(String);
    const r = spawnSync(PY, [script, ...args], { encoding: 'utf8', env: PEER_ENV });
    if (r.status !== 0) return undefined;
    all.push({ tps: (JSON.parse(r.stdout.trim().split('\n').pop()!) as { tokens_per_s: number }).tokens_per_s, threads });
  }
  const best = all.reduce((a, b) => (b.tps > a.tps ? b : a));
  return { ...best, all };
}


export async function run(): Promise<void> {
  const backends = await availableBackends();
  const best = backends[0]!;
  console.log(`available backends: ${backends.join(', ')} (default: ${best}); figures are medians`);
  for (const c of CONFIGS) {
    console.log(`\n${c.name}`);
    const big = c.model.n_embd > 128;
    const torch = pytorchTokensPerS(c, big ? 6 : 30);
    const ref = torch?.tps ?? c.pytorch;
    const refLabel = torch ? 'PyTorch' : 'PyTorch (quoted; python3-torch not installed)';
    for (const p of torch?.all ?? []) console.log(`  ${`pytorch ${p.threads}T`.padEnd(17)} ${(1000 * c.batch * c.model.block_size / p.tps).toFixed(0).padStart(7)} ms/step ${p.tps.toFixed(0).padStart(7)} tokens/s  (CPU, ${p.threads} thread${p.threads > 1 ? 's' : ''}, same model and recipe)`);
    for (const b of backends) {
      if (b === 'cpu' && big) { console.log(`  ${b.padEnd(8)} skipped (pure-JS kernels: minutes per step)`); continue; }

      await setupBackend(b);
      // native: once per GEMM (ours, and OpenBLAS's when the addon links it), default last.
      const gemms = b === 'native' ? nativeGemms() : [undefined];
      for (const gemm of gemms) {
        if (gemm) setGemm(loadAddon(), gemm);
        const t = makeTrainer(c);
        const steps = b === 'cpu' ? 3 : big ? 5 : 15;
        const ms = timeSteps(t, big || b === 'cpu' ? 2 : 3, steps);
        const tps = t.tokensPerStep / (ms / 1000);
        const label = gemm ? `${b} (${loadAddon().info().gemm})` : b;
        console.log(`  ${label.padEnd(17)} ${ms.toFixed(0).padStart(7)} ms/step ${tps.toFixed(0).padStart(7)} tokens/s  (${(tps / ref).toFixed(2)}x ${refLabel})`);
        if (b === best && gemm === gemms[gemms.length - 1]) await profileStep(t);
        t.dispose();
        t.model.dispose();
      }
      if (b === 'native') setGemm(loadAddon(), 'auto');
    }

  }

  await runSft();
  await runRl();
}

