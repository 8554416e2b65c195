/**
 * @fileoverview What an artifact holds, in a few figures per kind (`trainyard show`):
 * documents per split, token counts, a model's shape and parameter count, metrics, record
 * counts of JSONL data. Reading stays cheap: headers and meta files, and a line count for
 * JSONL (no JSON parsing).
 */
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listSplits } from './documents.js';
import type { ArtifactKind } from './kinds.js';
import { readTokensMeta } from './tokens.js';
import { modelShape } from './export/model.js';

/** Named figures about one artifact, in display order (JSON-friendly). */
export type ArtifactSummary = Record<string, unknown>;

/** Summarises the artifact folder `dir` of `kind`; a file that cannot be read is reported as such. */
export async function summarizeArtifact(kind: ArtifactKind, dir: string): Promise<ArtifactSummary> {
  try {
    switch (kind) {
      case 'documents': return await documentsSummary(dir);
      case 'tokens': return await tokensSummary(dir);
      case 'tokenizer': return await tokenizerSummary(join(dir, 'tokenizer.json'));
      case 'model': case 'reward': return await modelSummary(dir);
      case 'metrics': return { metrics: await readJson(join(dir, 'metrics.json')) };
      case 'sft': case 'preferences': return await jsonlSummary(dir, 'records');
    }
  } catch (err) {
    return { unreadable: (err as Error).message };
  }
}

async function documentsSummary(dir: string): Promise<ArtifactSummary> {
  const documents: Record<string, number> = {};
  const names = await readdir(dir);
  for (const split of await listSplits(dir)) {
    let n = 0;
    for (const f of names.filter((x) => x.startsWith(`${split}-`) && x.endsWith('.jsonl'))) n += await countLines(join(dir, f));
    documents[split] = n;
  }
  return { documents, total: Object.values(documents).reduce((a, b) => a + b, 0) };
}

async function tokensSummary(dir: string): Promise<ArtifactSummary> {
  const meta = await readTokensMeta(dir);
  return { tokens: meta.splits, total: Object.values(meta.splits).reduce((a, b) => a + b, 0), vocab_size: meta.vocab_size, dtype: meta.dtype, eot_id: meta.eot_id };
}

async function tokenizerSummary(file: string): Promise<ArtifactSummary> {
  const tok = await readJson(file) as { model?: { type?: string; vocab?: object; merges?: unknown[] }; added_tokens?: Array<{ content?: string }> };
  return {
    type: tok.model?.type ?? 'BPE', vocab_size: Object.keys(tok.model?.vocab ?? {}).length + (tok.added_tokens?.length ?? 0),
    merges: tok.model?.merges?.length ?? 0, special_tokens: (tok.added_tokens ?? []).map((t) => t.content),
  };
}

async function modelSummary(dir: string): Promise<ArtifactSummary> {
  const { parameters, ...config } = await modelShape(dir);
  const extras = ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'reward_stats.json', 'adapter'].filter((f) => existsSync(join(dir, f)));
  const out: ArtifactSummary = { config, parameters, files: extras };
  if (existsSync(join(dir, 'reward_stats.json'))) out.reward_stats = await readJson(join(dir, 'reward_stats.json'));
  return out;
}

async function jsonlSummary(dir: string, what: string): Promise<ArtifactSummary> {
  const counts: Record<string, number> = {};
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.jsonl')).sort()) counts[f] = await countLines(join(dir, f));
  return { [what]: counts };
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

/** Non-empty lines of a text file, streamed. */
async function countLines(file: string): Promise<number> {
  let n = 0, last = 10;
  for await (const chunk of createReadStream(file)) {
    const b = chunk as Buffer;
    for (let i = 0; i < b.length; i++) if (b[i] === 10) { if (last !== 10) n++; last = 10; } else last = b[i]!;
  }
  return last !== 10 ? n + 1 : n;
}
