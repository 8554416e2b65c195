/**
 * @fileoverview `npm run bench -- native`: the native backend against wasm (and cpu, PyTorch).
 * 1. BatchMatMul GFLOP/s at the matmul shapes of the two reference GPT configs, for each GEMM
 *    of the native build (ours: AVX-512, AVX2, portable; OpenBLAS when linked in) and wasm.
 * 2. GPT training tokens/s (src/model + src/train) on native vs wasm, and the same model in
 *    PyTorch CPU (bench/peers/torch_train.py, Debian python3-torch) when it is installed.
 * Env: TRAINYARD_BENCH_FULL=1 also times wasm on the 6x384 config (slow: ~15 s per step).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setupBackend } from '../src/backends/index.js';
import { nativeBackend } from '../src/backends/native/index.js';
import { availableGemms, loadAddon, setGemm } from '../src/backends/native/addon.js';

interface GptShape { name: string; L: number; H: number; C: number; T: number; B: number }
const CONFIGS: GptShape[] = [
  { name: 'baby 4x128 T64 B12', L: 4, H: 4, C: 128, T: 64, B: 12 },
  { name: '6x384 T256 B8', L: 6, H: 6, C: 384, T: 256, B: 8 },
];
const VOCAB = 1024;

/** Median ms of fn over reps (after one warm-up). */
function timeMs(fn: () => void, reps: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

/** [label, a shape, b shape, transposeA, transposeB]: every product a training step runs. */
function matmulShapes(c: GptShape): Array<[string, number[], number[], boolean, boolean]> {
  const n = c.B * c.T, hs = c.C / c.H;
  return [
    [`x·W_qkv [${n},${c.C}]x[${c.C},${3 * c.C}]`, [n, c.C], [c.C, 3 * c.C], false, false],
    [`x·W_fc [${n},${c.C}]x[${c.C},${4 * c.C}]`, [n, c.C], [c.C, 4 * c.C], false, false],
    [`dx dy·W_fcᵀ [${n},${4 * c.C}]x[${4 * c.C},${c.C}]ᵀ`, [n, 4 * c.C], [c.C, 4 * c.C], false, true],
    [`dW_fc xᵀ·dy [${c.C},${n}]x[${n},${4 * c.C}]`, [n, c.C], [n, 4 * c.C], true, false],
    [`lm_head x·wteᵀ [${n},${c.C}]x[${VOCAB},${c.C}]ᵀ`, [n, c.C], [VOCAB, c.C], false, true],
    [`bias grad 1·dy [1,${n}]x[${n},${4 * c.C}]`, [1, n], [n, 4 * c.C], false, false],
    [`q·kᵀ [${c.B * c.H},${c.T},${hs}]x[${hs},${c.T}]`, [c.B * c.H, c.T, hs], [c.B * c.H, c.T, hs], false, true],
  ];
}

async function benchMatmul(): Promise<void> {
  const gemms = availableGemms(loadAddon());
  const best = gemms[0]!;
  console.log(`
BatchMatMul GFLOP/s (median; native with ${availableParallelism()} threads, per GEMM; "ours/openblas" is ${best} over OpenBLAS)`);
  for (const c of CONFIGS) {
    for (const [label, sa, sb, ta, tb] of matmulShapes(c)) {
      const row: string[] = [];
      const gf: Record<string, number> = {};
      const m = ta ? sa[sa.length - 1]! : sa[sa.length - 2]!, k = ta ? sa[sa.length - 2]! : sa[sa.length - 1]!;
      const nOut = tb ? sb[sb.length - 2]! : sb[sb.length - 1]!;
      const flops = 2 * (sa.length === 3 ? sa[0]! : 1) * m * nOut * k;
      for (const backend of [...gemms.map((g) => `native:${g}`), 'wasm']) {
        const [name, gemm] = backend.split(':') as [string, string | undefined];
        await tf.setBackend(name);
        if (gemm) setGemm(loadAddon(), gemm);
        const a = tf.randomNormal(sa), b = tf.randomNormal(sb);
        const run = () => tf.tidy(() => { tf.matMul(a, b, ta, tb).dataSync(); });
        gf[gemm ?? name] = flops / timeMs(run, 7) / 1e6;
        row.push(`${gemm ?? name} ${gf[gemm ?? name]!.toFixed(1)}`);
        tf.dispose([a, b]);
      }
      if (gf.openblas) row.push(`ours/openblas ${(gf[best]! / gf.openblas).toFixed(2)}x`);
      console.log(`  ${c.name.padEnd(20)} ${label.padEnd(44)} ${row.join('  ')}`);
    }
  }
  setGemm(loadAddon(), 'auto');
}

async function trainTokensPerS(backend: string, c: GptShape, steps: number): Promise<number> {
  await tf.setBackend(backend);
  const { GPT, initParams } = await import('../src/model/gpt.js');
  const { Trainer } = await import('../src/train/trainer.js');
  const config = { n_layer: c.L, n_head: c.H, n_embd: c.C, block_size: c.T, vocab_size: VOCAB, dropout: 0 };
  const data = Uint16Array.from({ length: 200_000 }, (_, i) => (i * 7919) % VOCAB);
  const model = new GPT(config, initParams(config, 1));
  const trainer = new Trainer(model, data, {
    batchSize: c.B, gradAccum: 1, gradClip: 1, seed: 1,
    schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 0, decaySteps: 1000 },
    adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  });
  trainer.trainStep();
  const s = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const tps = (trainer.tokensPerStep * steps) / ((performance.now() - s) / 1000);
  trainer.dispose();
  tf.dispose([...model.params.values()]);
  return tps;
}

function torchTokensPerS(c: GptShape, steps: number): number | undefined {
  const script = fileURLToPath(new URL('./peers/torch_train.py', import.meta.url));
  const threads = String(availableParallelism());
  const res = spawnSync('/usr/bin/python3', [script, ...[c.L, c.H, c.C, c.T, c.B, VOCAB, steps].map(String), threads], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  return (JSON.parse(res.stdout.trim().split('\n').pop()!) as { tokens_per_s: number }).tokens_per_s;
}

async function benchTraining(): Promise<void> {
  console.log(`\nGPT training tokens/s (vocab ${VOCAB}, AdamW, clip 1.0; ${availableParallelism()} threads)`);
  for (const [i, c] of CONFIGS.entries()) {
    const steps = i === 0 ? 6 : 2;
    const native = await trainTokensPerS('native', c, steps);
    const wasm = i === 0 || process.env.TRAINYARD_BENCH_FULL === '1' ? await trainTokensPerS('wasm', c, steps) : undefined;
    const torch = torchTokensPerS(c, i === 0 ? 20 : 4);
    const parts = [`native ${native.toFixed(0)}`];
    if (wasm) parts.push(`wasm ${wasm.toFixed(0)} (native ${(native / wasm).toFixed(2)}x)`);
    parts.push(torch ? `pytorch ${torch.toFixed(0)} (native/pytorch ${(native / torch).toFixed(2)}x)` : 'pytorch n/a (apt-get install -y python3-torch)');
    console.log(`  ${c.name.padEnd(20)} ${parts.join('  ')}`);
  }
}

export async function run(): Promise<void> {
  if (!(await nativeBackend.isAvailable())) {
    console.log(`native backend not built; ${nativeBackend.installHint}`);
    return;
  }
  // Through setupBackend, so each backend's capabilities are recorded for the model (a plain
  // tf.setBackend switch below then still sees them).
  await setupBackend('wasm');
  await setupBackend('native');
  await benchMatmul();
  await benchTraining();
}
