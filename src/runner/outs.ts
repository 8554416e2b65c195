/**
 * @fileoverview Pipeline `outs:` (DVC style): after a run, every workspace path listed there
 * is brought in line with the result of the stage it mirrors (exported as `trainyard
 * export` would, replaced atomically). `.trainyard/outs.json` remembers which artifact each
 * path holds, so an unchanged result costs nothing; a path deleted by hand is exported again.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportArtifact } from '../artifacts/export/index.js';
import type { Manifest } from '../cache/store.js';
import { writeFileAtomic } from '../util/atomic.js';
import { hashJson } from '../util/hash.js';
import { modelCardInfo } from './artifact-info.js';
import type { RunLifecycle } from './lifecycle.js';
import type { EngineState } from './staleness.js';

type OutsRecord = Record<string, { hash: string; link: string }>;

/** Exports the outs whose stage has a result in `manifests`; a failure is a warning on that stage. */
export async function syncOuts(state: EngineState, ran: ReadonlyMap<string, Manifest>, lifecycle: RunLifecycle): Promise<void> {
  const { compiled, store } = state;
  if (compiled.outs.length === 0) return;
  const manifests = await withReaders(state, ran);
  const file = join(store.root, 'outs.json');
  const record = await readRecord(file);
  let changed = false;
  for (const b of compiled.outs) {
    const manifest = manifests.get(b.stage);
    const out = manifest?.outputs[b.output];
    if (!manifest || !out) continue;
    const card = b.kind === 'model' || b.kind === 'reward' ? modelCardInfo(compiled, b.stage, b.output, manifests) : undefined;
    // The card (metrics of evaluations) can change while the model does not.
    const hash = card ? hashJson({ artifact: out.hash, card }) : out.hash;
    const prev = record[b.out.path];
    if (prev && prev.hash === hash && prev.link === b.out.link && existsSync(b.out.path)) continue;
    try {
      await exportArtifact(out.kind, store.outputDir(manifest.key, b.output), b.out.path, { mode: b.out.link, card });
      record[b.out.path] = { hash, link: b.out.link };
      changed = true;
      lifecycle.stageLog?.(b.stage, 'info', `outs: ${b.stage}.${b.output} → ${b.out.display}`);
    } catch (err) {
      lifecycle.stageLog?.(b.stage, 'warn', `outs: could not export ${b.stage}.${b.output} to ${b.out.display}: ${(err as Error).message}`);
    }
  }
  if (changed) await writeFileAtomic(file, JSON.stringify(record, null, 1));
}

/**
 * `ran` plus the last results (lock file) of stages that read a model out but were not part
 * of this run, so a card keeps its evaluations' metrics when only the model's stage ran.
 */
async function withReaders(state: EngineState, ran: ReadonlyMap<string, Manifest>): Promise<Map<string, Manifest>> {
  const out = new Map(ran);
  const modelStages = new Set(state.compiled.outs.filter((b) => b.kind === 'model' || b.kind === 'reward').map((b) => b.stage));
  for (const [name, ports] of state.compiled.bindings) {
    if (out.has(name) || !Object.values(ports).some((bs) => bs.some((b) => modelStages.has(b.stage)))) continue;
    const key = state.lock.stages[name]?.key;
    const hit = key ? await state.store.lookup(key) : undefined;
    if (hit?.manifest) out.set(name, hit.manifest);
  }
  return out;
}


async function readRecord(file: string): Promise<OutsRecord> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as OutsRecord;
  } catch {
    return {};
  }
}
