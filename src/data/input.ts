/**
 * @fileoverview Tolerant document input for the data stages: streams `[split, doc]` from one or
 * more documents folders and skips (and counts) what is not a document (a malformed JSON line,
 * binary junk, a `text` that is not a string), so bad input never crashes a stage.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listSplits, readLines, type Document } from '../artifacts/documents.js';

const SHARD_RE = /^([A-Za-z0-9_]+)-(\d{5})\.jsonl$/;

/** Counts of skipped input, by kind. */
export interface InputIssues { invalid_json: number; invalid_doc: number }

export interface InputDoc { split: string; doc: Document }

/** Shard files of one split, in shard order. */
async function shards(dir: string, split: string): Promise<string[]> {
  return (await readdir(dir))
    .map((f) => [f, SHARD_RE.exec(f)] as const)
    .filter(([, m]) => m && m[1] === split)
    .sort((a, b) => Number(a[1]![2]) - Number(b[1]![2]))
    .map(([f]) => join(dir, f));
}

/** Parses one JSONL line into a Document, or undefined when it is not one. */
export function parseDoc(line: string, fallbackId: string, issues: InputIssues): Document | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    issues.invalid_json++;
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || typeof (raw as Document).text !== 'string') {
    issues.invalid_doc++;
    return undefined;
  }
  const d = raw as Document;
  const id = typeof d.id === 'string' || typeof d.id === 'number' ? String(d.id) : fallbackId;
  const meta = d.meta && typeof d.meta === 'object' && !Array.isArray(d.meta) ? d.meta : undefined;
  return meta ? { id, text: d.text, meta } : { id, text: d.text };
}

/** Streams every document of every folder (splits in listSplits order), skipping bad lines. */
export async function* readInputDocs(dirs: string[], issues: InputIssues): AsyncGenerator<InputDoc> {
  let n = 0;
  for (const dir of dirs) {
    for (const split of await listSplits(dir)) {
      for (const shard of await shards(dir, split)) {
        for await (const line of readLines(shard)) {
          const doc = parseDoc(line, `doc${n}`, issues);
          n++;
          if (doc) yield { split, doc };
        }
      }
    }
  }
}

export function newIssues(): InputIssues {
  return { invalid_json: 0, invalid_doc: 0 };
}

/** Logs and records skipped input (no-op when there was none). */
export function reportIssues(ctx: { log: { warn(m: string): void }; stats(v: Record<string, number>): void }, issues: InputIssues): void {
  const total = issues.invalid_json + issues.invalid_doc;
  ctx.stats({ skipped_invalid_json: issues.invalid_json, skipped_invalid_doc: issues.invalid_doc });
  if (total > 0) ctx.log.warn(`skipped ${total} input line(s) that are not documents (${issues.invalid_json} malformed JSON, ${issues.invalid_doc} without a string "text")`);
}
