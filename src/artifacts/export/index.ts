/**
 * @fileoverview Exporting an artifact out of the store, in the form other tools take:
 *
 * | kind                | exported as                                                         |
 * |---------------------|---------------------------------------------------------------------|
 * | model, reward       | the Hugging Face folder + tokenizer_config.json, generation_config.json, README.md (model card) |
 * | tokens              | nanoGPT's train.bin / val.bin (+ test.bin) + meta.json + tokenizer.json |
 * | documents           | `<split>.jsonl`, one document a line                                |
 * | everything else     | the artifact's files as they are                                    |
 *
 * The destination is replaced atomically (./replace.ts): a reader sees the old export or
 * the new one.
 */
import { join } from 'node:path';
import type { ArtifactKind } from '../kinds.js';
import { listFiles } from '../../util/hash.js';
import { exportDocuments } from './documents.js';
import { exportModel } from './model.js';
import type { ModelCardInfo } from './model-card.js';
import { placeFile, type PlaceMode } from './place.js';
import { replaceFolder } from './replace.js';
import { exportTokens } from './tokens.js';

export type { ModelCardInfo } from './model-card.js';
export type { PlaceMode } from './place.js';

export interface ExportOptions {
  /** @default 'copy' */
  mode?: PlaceMode;
  /** For model artifacts: what the model card says (no card without it). */
  card?: ModelCardInfo;
}

/** Exports the artifact folder `src` of `kind` to `dest`, replacing what was there. */
export async function exportArtifact(kind: ArtifactKind, src: string, dest: string, o: ExportOptions = {}): Promise<void> {
  const mode = o.mode ?? 'copy';
  await replaceFolder(dest, async (dir) => {
    if (kind === 'model' || kind === 'reward') await exportModel(src, dir, mode, o.card);
    else if (kind === 'tokens') await exportTokens(src, dir, mode);
    else if (kind === 'documents') await exportDocuments(src, dir, mode);
    else for (const rel of await listFiles(src)) await placeFile(join(src, rel), join(dir, rel), mode);
  });
}
