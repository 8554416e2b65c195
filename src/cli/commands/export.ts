/**
 * @fileoverview `trainyard export <stage>[.output] <dir>`: an artifact out of the store in
 * the form other tools read (see src/artifacts/export): a model as a Hugging Face folder
 * with its model card, tokens as nanoGPT's train.bin/val.bin + meta.json, documents as JSONL.
 * Files are copied, or hard-linked with --link, or symlinked with --symlink.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportArtifact, type PlaceMode } from '../../artifacts/export/index.js';
import { errors } from '../../errors/index.js';
import { modelCardInfo } from '../../runner/artifact-info.js';
import { manifestsOf, resolveTarget } from '../artifact-target.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export interface ExportCliOptions extends CommonOptions { link?: boolean; symlink?: boolean; force?: boolean }

export async function exportCommand(target: string, dir: string, o: ExportCliOptions): Promise<number> {
  const dest = resolve(dir);
  if (existsSync(dest) && (!statSync(dest).isDirectory() || readdirSync(dest).length > 0) && !o.force) throw errors.exportNotEmpty({ dir });
  const state = await loadEngine(o);
  const { artifacts, rows } = await resolveTarget(state, target);
  const a = artifacts[0]!;
  const mode: PlaceMode = o.symlink ? 'symlink' : o.link ? 'hardlink' : 'copy';
  const card = a.kind === 'model' || a.kind === 'reward' ? modelCardInfo(state.compiled, a.stage, a.output, manifestsOf(rows)) : undefined;
  await exportArtifact(a.kind, a.path, dest, { mode, card });
  process.stdout.write(`exported ${a.stage}.${a.output} (${a.kind}) to ${dir}\n`);
  return EXIT.OK;
}
