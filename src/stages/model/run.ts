/**
 * @fileoverview The `model` stage's work: import the folder and say what was found.
 */
import { relative, resolve } from 'node:path';
import { importModelFolder, type ImportReport } from '../../model/hf-import.js';
import type { StageContext } from '../define.js';
import type { ModelOptions } from '../options.gen.js';

/** Imports `options.path` (relative to the pipeline file) into the `model` output. */
export async function runModelImport(ctx: StageContext, options: ModelOptions): Promise<void> {
  const src = resolve(ctx.cwd, options.path);
  const r = await importModelFolder(src, ctx.outputs.model!.dir);
  for (const line of describeImport(r, relative(ctx.cwd, src) || '.')) ctx.log.info(line);
  if (r.unused.length > 0) ctx.log.warn(`left out ${r.unused.length} tensors that are not GPT-2 parameters: ${preview(r.unused)}`);
  ctx.stats({
    params: r.params, n_layer: r.config.n_layer, n_head: r.config.n_head, n_embd: r.config.n_embd,
    block_size: r.config.block_size, vocab_size: r.config.vocab_size, dtypes: dtypeList(r),
    weight_files: r.files.length, renamed: r.renamed, ignored: r.ignored.length, unused: r.unused.length,
  });
}

/** The log lines of an import. */
export function describeImport(r: ImportReport, folder: string): string[] {
  const c = r.config;
  const lines = [
    `loaded ${folder}: GPT-2 ${count(r.params)} params (${c.n_layer} layers, ${c.n_head} heads, n_embd ${c.n_embd}, context ${c.block_size}, vocab ${c.vocab_size})`,
    `weights: ${r.files.join(', ')} (${dtypeList(r)}; stored as F32)`,
    `tokenizer: ${r.tokenizer}${r.companions.length ? `; kept ${r.companions.join(', ')}` : ''}`,
  ];
  if (r.renamed > 0) lines.push(`renamed ${r.renamed} tensors without the transformer. prefix`);
  if (r.ignored.length > 0) lines.push(`ignored ${r.ignored.length} buffers/tied tensors: ${preview(r.ignored)}`);
  return lines;
}

const count = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));
const dtypeList = (r: ImportReport): string => Object.entries(r.dtypes).map(([d, n]) => `${d} ×${n}`).join(', ');
const preview = (names: string[]): string => names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length - 4} more)` : '');
