/**
 * @fileoverview Training checkpoints, for exact resume. Each lives in its own folder under the
 * stage's checkpoint dir, written to a temp folder and renamed into place (atomic):
 *
 *   <checkpointDir>/step-00000250/
 *     config.json, model.safetensors, tokenizer.json   the model folder (DESIGN.md)
 *     optimizer.safetensors                            `<param>.exp_avg`, `<param>.exp_avg_sq`
 *     trainer_state.json                               step, sampler PRNG state, early-stop state
 *
 * A folder without trainer_state.json (written last) is ignored.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { GPTConfig } from '../model/config.js';
import { paramShapes } from '../model/gpt.js';
import { loadModelFolder, saveModelFolder, type SaveModelOptions } from '../model/checkpoint.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../model/safetensors.js';

export interface TrainerState {
  /** Optimizer steps completed. */
  step: number;
  /** AdamW step count (bias correction). */
  optimizer_t: number;
  /** Batch sampler PRNG state (uint32). */
  sampler_state: number;
  best_val_loss: number | null;
  /** Evaluations since the best validation loss (early stopping). */
  evals_since_best: number;
  /** Last train loss logged. */
  last_loss: number | null;
}

export interface TrainingCheckpoint {
  config: GPTConfig;
  weights: Map<string, Float32Array>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
  state: TrainerState;
}

const PREFIX = 'step-';
const STATE = 'trainer_state.json';

/** Writes a checkpoint atomically and keeps only the newest `keepLast`. Returns its folder. */
export async function saveCheckpoint(root: string, ck: TrainingCheckpoint, o: SaveModelOptions & { keepLast: number }): Promise<string> {
  await mkdir(root, { recursive: true });
  const name = `${PREFIX}${String(ck.state.step).padStart(8, '0')}`;
  const tmp = join(root, `.tmp-${name}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  await saveModelFolder(tmp, ck.config, ck.weights, o);
  const moments = new Map<string, NamedTensor>();
  const shapes = new Map(paramShapes(ck.config));
  for (const [n, data] of ck.m) moments.set(`${n}.exp_avg`, { shape: shapes.get(n) ?? [data.length], data });
  for (const [n, data] of ck.v) moments.set(`${n}.exp_avg_sq`, { shape: shapes.get(n) ?? [data.length], data });
  await writeSafetensors(join(tmp, 'optimizer.safetensors'), moments);
  await writeFileAtomic(join(tmp, STATE), JSON.stringify(ck.state, null, 2) + '\n');
  const dest = join(root, name);
  await rm(dest, { recursive: true, force: true });
  await rename(tmp, dest);
  await prune(root, o.keepLast);
  return dest;
}

/** Complete checkpoint folders, oldest first. */
async function listCheckpoints(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const names = (await readdir(root)).filter((n) => n.startsWith(PREFIX) && existsSync(join(root, n, STATE)));
  return names.sort().map((n) => join(root, n));
}

/** The newest complete checkpoint, or null. */
export async function latestCheckpoint(root: string): Promise<string | null> {
  return (await listCheckpoints(root)).at(-1) ?? null;
}

export async function loadCheckpoint(dir: string): Promise<TrainingCheckpoint> {
  const { config, weights } = await loadModelFolder(dir);
  const { tensors } = await readSafetensors(join(dir, 'optimizer.safetensors'));
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const name of weights.keys()) {
    const a = tensors.get(`${name}.exp_avg`);
    const b = tensors.get(`${name}.exp_avg_sq`);
    if (!a || !b) throw errors.optimizerStateMissing({ file: join(dir, 'optimizer.safetensors'), tensor: name });
    m.set(name, a.data);
    v.set(name, b.data);
  }
  const state = JSON.parse(await readFile(join(dir, STATE), 'utf8')) as TrainerState;
  return { config, weights, m, v, state };
}

/** Deletes all but the newest `keep` checkpoints, and stray temp folders. */
async function prune(root: string, keep: number): Promise<void> {
  const all = await listCheckpoints(root);
  for (const dir of all.slice(0, Math.max(0, all.length - Math.max(1, keep)))) await rm(dir, { recursive: true, force: true });
  for (const n of await readdir(root)) if (n.startsWith('.tmp-')) await rm(join(root, n), { recursive: true, force: true });
}
