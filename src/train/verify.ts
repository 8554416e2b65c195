/**
 * @fileoverview Which checkpoint to resume from: the newest one that is intact. A checkpoint
 * is intact when every file its trainer_state.json lists has the size and sha256 it was
 * written with, and it loads; one from before the manifest only has to load. Damaged newer
 * checkpoints are removed once an intact one is found (else `prune` would keep them over the
 * fresh ones), and reported; when every checkpoint is damaged, E_CHECKPOINT names the newest.
 *
 *   step-00000004/  ok        ← resumed from
 *   step-00000008/  model.safetensors has 1000 bytes; 18900 were written   ← removed
 */
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asTrainyardError, errors } from '../errors/index.js';
import { hashFile } from '../util/hash.js';
import { listCheckpoints, loadCheckpoint, readState, type FileRecord, type TrainingCheckpoint } from './state.js';

/** A checkpoint that cannot be resumed from, and why. */
export interface DamagedCheckpoint { path: string; problem: string }

/** The checkpoint to resume from, and the newer ones that were damaged (now removed). */
export interface GoodCheckpoint { path: string; ck: TrainingCheckpoint; damaged: DamagedCheckpoint[] }

/**
 * The newest intact checkpoint under `root` (see the file overview), or null when there is
 * none at all. E_CHECKPOINT when there are checkpoints but none is intact (nothing is removed).
 */
export async function loadLatestGood(root: string, maxStep = Infinity): Promise<GoodCheckpoint | null> {
  const all = (await listCheckpoints(root)).filter((p) => checkpointStep(p) <= maxStep).reverse();
  const damaged: DamagedCheckpoint[] = [];
  for (const path of all) {
    try {
      const problem = await checkFiles(path);
      if (problem) { damaged.push({ path, problem }); continue; }
      const ck = await loadCheckpoint(path);
      for (const d of damaged) await rm(d.path, { recursive: true, force: true });
      return { path, ck, damaged };
    } catch (err) {
      damaged.push({ path, problem: asTrainyardError(err).message });
    }
  }
  const [newest] = damaged;
  if (!newest) return null;
  throw errors.checkpointDamaged({ path: newest.path, problem: newest.problem, older: damaged.length - 1, root: dirname(newest.path) });
}

/** The step a checkpoint folder (`…/step-00000250`) was written at. */
export function checkpointStep(path: string): number {
  return Number(/step-(\d+)$/.exec(path)?.[1] ?? NaN);
}

/** What is wrong with the files a checkpoint's manifest lists (sizes first, then hashes), or null. */
async function checkFiles(dir: string): Promise<string | null> {
  const files: Record<string, FileRecord> | undefined = (await readState(dir)).files;
  if (files === undefined) return null; // written before the manifest: loading it is the check
  const entries = Object.entries(files);
  for (const [name, rec] of entries) {
    const file = join(dir, name);
    if (!existsSync(file)) return `${name} is missing`;
    const bytes = (await stat(file)).size;
    if (bytes !== rec.bytes) return `${name} has ${bytes} bytes; ${rec.bytes} were written`;
  }
  for (const [name, rec] of entries) {
    const sha = await hashFile(join(dir, name));
    if (sha !== rec.sha256) return `${name} changed since it was written (sha256 ${sha.slice(0, 12)}, written ${rec.sha256.slice(0, 12)})`;
  }
  return null;
}
