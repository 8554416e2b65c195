/**
 * @fileoverview Where the eval stage's texts come from.
 *
 *   held-out token documents  tokens input: `split` (auto: test → validation → last 10% of a
 *                             single split), cut at end-of-text; else the held-out documents
 *                             encoded with the model's tokenizer
 *   held-out texts            docs input: test → validation → all; else the decoded token docs
 *   training texts            docs input `train` split; else the tokens' training part, decoded
 */
import { ALL_SPLIT, listSplits, readDocuments } from '../../artifacts/documents.js';
import { readTokens, readTokensMeta } from '../../artifacts/tokens.js';
import { errors } from '../../errors/index.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import { splitDocuments } from '../../eval/windows.js';

export interface HeldOutTokens {
  /** What was scored, e.g. `test`, or `train[90%:]`. */
  label: string;
  docs: Uint32Array[];
  /** The training part of the token artifact, when it is known (for contamination). */
  train: { split: string; end: number } | null;
}

/** Picks the token split to score. */
export async function heldOutTokens(dir: string, split: string, maxTokens: number): Promise<HeldOutTokens> {
  const meta = await readTokensMeta(dir);
  const names = Object.keys(meta.splits);
  const pick = split !== 'auto' ? split : ['test', 'validation'].find((s) => names.includes(s));
  let label: string;
  let ids: Uint16Array | Uint32Array;
  let train: HeldOutTokens['train'] = names.includes('train') ? { split: 'train', end: meta.splits.train! } : null;
  if (pick) {
    if (!names.includes(pick)) throw errors.evalSplitMissing({ split: pick, splits: names });
    ids = await readTokens(dir, pick);
    label = pick;
    if (pick === 'train') train = null;
  } else {
    if (names.length !== 1) throw errors.evalNoHeldOut({ splits: names });
    const all = await readTokens(dir, names[0]!);
    const cut = Math.floor(all.length * 0.9);
    ids = all.subarray(cut);
    label = `${names[0]}[90%:]`;
    train = { split: names[0]!, end: cut };
  }
  return { label, docs: budget(splitDocuments(ids, meta.eot_id), maxTokens), train };
}

/** Whole documents until `maxTokens` (0 = all; the first document is always kept, cut to the budget). */
export function budget(docs: Uint32Array[], maxTokens: number): Uint32Array[] {
  if (maxTokens <= 0) return docs;
  const out: Uint32Array[] = [];
  let n = 0;
  for (const d of docs) {
    if (n >= maxTokens) break;
    out.push(n + d.length > maxTokens && out.length === 0 ? d.subarray(0, maxTokens) : d);
    n += d.length;
  }
  return out;
}

/** Held-out documents' texts from a documents artifact (test → validation → all), or null. */
export async function heldOutTexts(dir: string): Promise<{ split: string; texts: string[] } | null> {
  const splits = await listSplits(dir);
  const split = ['test', 'validation', ALL_SPLIT].find((s) => splits.includes(s));
  if (!split) return null;
  const texts: string[] = [];
  for await (const d of readDocuments(dir, split)) texts.push(d.text);
  return { split, texts };
}

/** Streams the training texts: the docs `train` split, else the tokens' training part decoded per document. */
export async function* trainingTexts(o: { docsDir?: string; tokensDir?: string; train: HeldOutTokens['train']; tok: Tokenizer }): AsyncGenerator<string> {
  if (o.docsDir && (await listSplits(o.docsDir)).includes('train')) {
    for await (const d of readDocuments(o.docsDir, 'train')) yield d.text;
    return;
  }
  if (!o.tokensDir || !o.train) return;
  const meta = await readTokensMeta(o.tokensDir);
  const ids = (await readTokens(o.tokensDir, o.train.split)).subarray(0, o.train.end);
  for (const doc of splitDocuments(ids, meta.eot_id)) yield o.tok.decode(doc);
}

/** Whether any training text is available (for a clear "skipped" message). */
export async function hasTrainingTexts(docsDir: string | undefined, train: HeldOutTokens['train']): Promise<boolean> {
  return (docsDir !== undefined && (await listSplits(docsDir)).includes('train')) || train !== null;
}
