/**
 * @fileoverview Training checkpoints, for exact resume. Each lives in its own folder under the
 * stage's checkpoint dir, written to a temp folder and renamed into place (atomic):
 *
 *   <checkpointDir>/step-00000250/
 *     config.json, model.safetensors, tokenizer.json   the model folder (DESIGN.md), when every
 *                                                      parameter trains (pretrain, full sft)
 *     trainable.safetensors                            else: only what trains (LoRA adapters)
 *     optimizer.safetensors                            `<param>.exp_avg`, `<param>.exp_avg_sq`
 *     trainer_state.json                               step, batch-source position, early-stop state,
 *                                                      and `files`: each other file's size and sha256
 *
 * A folder without trainer_state.json (written last) is ignored. Before a resume, loadLatestGood
 * checks the newest checkpoint against its `files` (checkpoints from before the manifest: by
 * loading them) and falls back to older ones, so a damaged checkpoint never blocks the stage.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { errors } from '../errors/index.js';
import { hashFile } from '../util/hash.js';
import { readJsonFile } from '../util/json-file.js';
import { writeFileAtomic } from '../util/atomic.js';
import { fromHfConfig, toHfConfig, type GPTConfig } from '../model/config.js';
import { paramShapes } from '../model/gpt.js';
import { loadModelFolder, saveModelFolder, type SaveModelOptions } from '../model/checkpoint.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../model/safetensors.js';

const TRAINABLE = 'trainable.safetensors';

export interface TrainerState {
  /** Optimizer steps completed. */
  step: number;
  /** AdamW step count (bias correction). */
  optimizer_t: number;
  /** Batch source position (pretrain: the sampler's PRNG state, a uint32). */
  sampler_state: unknown;
  best_val_loss: number | null;
  /** Evaluations since the best validation loss (early stopping). */
  evals_since_best: number;
  /** Last train loss logged. */
  last_loss: number | null;
  /** Mean tokens/s of the run that wrote the checkpoint (absent in older checkpoints). */
  tokens_per_s?: number | null;
  /** The last step's metrics by name (loss, lr, grad_norm, tokens_per_s), for a run with no step left. */
  last_step?: Record<string, number> | null;
}

export interface TrainingCheckpoint {
  config: GPTConfig;
  /** The trainable variables by name (all parameters, or LoRA adapters). */
  weights: Map<string, NamedTensor>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
  state: TrainerState;
}

const PREFIX = 'step-';
const STATE = 'trainer_state.json';

/** One file of a checkpoint as written. */
export interface FileRecord { bytes: number; sha256: string }

/** trainer_state.json on disk: the trainer state and the manifest of the other files (absent in older checkpoints). */
export type StateFile = TrainerState & { files?: Record<string, FileRecord> };

/** Writes a checkpoint atomically and keeps only the newest `keepLast`. Returns its folder. */
export async function saveCheckpoint(root: string, ck: TrainingCheckpoint, o: SaveModelOptions & { keepLast: number }): Promise<string> {
  await mkdir(root, { recursive: true });
  const name = `${PREFIX}${String(ck.state.step).padStart(8, '0')}`;
  const tmp = join(root, `.tmp-${name}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  if (isWholeModel(ck.config, ck.weights)) await saveModelFolder(tmp, ck.config, new Map([...ck.weights].map(([n, t]) => [n, t.data])), o);
  else {
    await writeSafetensors(join(tmp, TRAINABLE), ck.weights);
    await writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(toHfConfig(ck.config), null, 2) + '\n');
  }
  const moments = new Map<string, NamedTensor>();
  const shape = (n: string, len: number) => ck.weights.get(n)?.shape ?? [len];
  for (const [n, data] of ck.m) moments.set(`${n}.exp_avg`, { shape: shape(n, data.length), data });
  for (const [n, data] of ck.v) moments.set(`${n}.exp_avg_sq`, { shape: shape(n, data.length), data });
  await writeSafetensors(join(tmp, 'optimizer.safetensors'), moments);
  const state: StateFile = { ...ck.state, files: await manifest(tmp) };
  await writeFileAtomic(join(tmp, STATE), JSON.stringify(state, null, 2) + '\n');
  const dest = join(root, name);
  await rm(dest, { recursive: true, force: true });
  await rename(tmp, dest);
  await prune(root, o.keepLast);
  return dest;
}

/** Complete checkpoint folders (with a trainer_state.json), oldest first. */
export async function listCheckpoints(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const names = (await readdir(root)).filter((n) => n.startsWith(PREFIX) && existsSync(join(root, n, STATE)));
  return names.sort().map((n) => join(root, n));
}

/** Size and sha256 of every file in a checkpoint folder being written (before trainer_state.json). */
async function manifest(dir: string): Promise<Record<string, FileRecord>> {
  const files: Record<string, FileRecord> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (name === STATE) continue;
    files[name] = { bytes: (await stat(join(dir, name))).size, sha256: await hashFile(join(dir, name)) };
  }
  return files;
}

/** True when `weights` are exactly the model's parameters (the checkpoint is a model folder). */
function isWholeModel(config: GPTConfig, weights: Map<string, NamedTensor>): boolean {
  const names = paramShapes(config).map(([n]) => n);
  return names.length === weights.size && names.every((n) => weights.has(n));
}

/** Reads a checkpoint folder (unverified: see loadLatestGood). */
export async function loadCheckpoint(dir: string): Promise<TrainingCheckpoint> {
  const { files: _files, ...state } = await readState(dir);
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  let weights: Map<string, NamedTensor>;
  let cfg: GPTConfig;
  if (existsSync(join(dir, TRAINABLE))) {
    weights = (await readSafetensors(join(dir, TRAINABLE))).tensors;
    cfg = fromHfConfig(config, join(dir, 'config.json'));
  } else {
    const folder = await loadModelFolder(dir);
    cfg = folder.config;
    const shapes = new Map(paramShapes(cfg));
    weights = new Map([...folder.weights].map(([n, data]) => [n, { shape: shapes.get(n)!, data }]));
  }
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
  return { config: cfg, weights, m, v, state };
}

/** Reads a checkpoint's trainer_state.json (E_ARTIFACT naming it when it is not a JSON object). */
export async function readState(dir: string): Promise<StateFile> {
  const file = join(dir, STATE);
  const invalid = (cause?: unknown) => errors.checkpointStateInvalid({ file }, { cause });
  const state = await readJsonFile(file, { missing: invalid, invalid });
  if (!state || typeof state !== 'object' || Array.isArray(state)) throw invalid();
  return state as StateFile;
}

/** Deletes all but the newest `keep` checkpoints, and stray temp folders. */
async function prune(root: string, keep: number): Promise<void> {
  const all = await listCheckpoints(root);
  for (const dir of all.slice(0, Math.max(0, all.length - Math.max(1, keep)))) await rm(dir, { recursive: true, force: true });
  for (const n of await readdir(root)) if (n.startsWith('.tmp-')) await rm(join(root, n), { recursive: true, force: true });
}
