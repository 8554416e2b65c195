/**
 * @fileoverview The clean stage's body, two passes:
 *
 *   1. workers clean each document (email, HTML, Unicode, controls, whitespace) → tmp shards,
 *      and the main thread counts in how many documents each short line occurs;
 *   2. lines seen in ≥ boilerplate_min_docs documents are dropped; empty results are dropped.
 */
import { join } from 'node:path';
import { DocumentsWriter, newIssues, readDocumentsWithSplit, reportIssues, type SplitDocument } from '../../artifacts/documents.js';
import { batched, ThreadPool } from '../../util/thread-pool.js';
import type { StageContext } from '../define.js';
import type { CleanOptions } from '../options.gen.js';
import { normalizeWhitespace } from './normalize.js';
import { lineKey, type CleanResult, type CleanTaskOptions } from './task.js';

const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export async function runClean(ctx: StageContext, o: CleanOptions): Promise<void> {
  const taskOptions: CleanTaskOptions = { ...o };
  const pass1 = join(ctx.tmpDir, 'clean-pass1');
  const steps: Record<string, number> = {};
  const lineDocs = new Map<number, number>();
  const issues = newIssues();
  const pool = new ThreadPool(ctx.threads, new URL(`./task.${EXT}`, import.meta.url));
  const tmp = new DocumentsWriter(pass1);
  let docsIn = 0, bytesIn = 0;
  try {
    const batches = batched(readDocumentsWithSplit((ctx.inputs.docs ?? []).map((r) => r.path), issues), (x) => x.doc.text.length, o.batch_size);
    for await (const [batch, results] of pool.map<SplitDocument, CleanResult>('clean', batches, taskOptions, ctx.signal, (b) => b.map((x) => x.doc))) {
      for (const [i, { split, doc }] of batch.entries()) {
        const r = results[i]!;
        docsIn++;
        bytesIn += Buffer.byteLength(doc.text);
        for (const s of r.steps) steps[s] = (steps[s] ?? 0) + 1;
        for (const k of r.lineKeys) lineDocs.set(k, (lineDocs.get(k) ?? 0) + 1);
        await tmp.write({ ...doc, text: r.text, ...(r.meta || doc.meta ? { meta: { ...doc.meta, ...r.meta } } : {}) }, split);
      }
      ctx.progress({ done: docsIn, unit: 'docs', message: 'cleaning' });
    }
  } finally {
    await pool.close();
  }
  await tmp.close();
  reportIssues(ctx, issues);
  const pass2 = await dropBoilerplate(ctx, o, pass1, lineDocs);
  ctx.stats({ docs_in: docsIn, bytes_in: bytesIn, ...Object.fromEntries(Object.entries(steps).map(([k, v]) => [`changed_${k}`, v])), ...pass2 });
  ctx.log.info(`clean: ${docsIn} docs in, ${pass2.docs_out} out; changed by step: ${JSON.stringify(steps)}; ` +
    `${pass2.boilerplate_lines_removed} boilerplate lines removed (${pass2.boilerplate_patterns} distinct), ${pass2.empty_after_clean} empty docs dropped`);
}

async function dropBoilerplate(ctx: StageContext, o: CleanOptions, pass1: string, lineDocs: Map<number, number>) {
  const min = o.boilerplate_min_docs;
  const frequent = new Set<number>();
  if (min > 0) for (const [k, n] of lineDocs) if (n >= min) frequent.add(k);
  lineDocs.clear();
  const out = new DocumentsWriter(ctx.outputs.docs!.dir);
  let removed = 0, empty = 0, bytesOut = 0;
  for await (const { split, doc } of readDocumentsWithSplit([pass1], newIssues())) {
    let text = doc.text;
    if (frequent.size > 0) {
      const lines = text.split('\n');
      const kept = lines.filter((l) => {
        const k = l.length > 0 && l.length <= o.boilerplate_max_line_chars ? lineKey(l) : undefined;
        return !(k !== undefined && frequent.has(k));
      });
      removed += lines.length - kept.length;
      if (kept.length !== lines.length) text = normalizeWhitespace(kept.join('\n'));
    }
    if (text.length === 0) { empty++; continue; }
    bytesOut += Buffer.byteLength(text);
    await out.write(text === doc.text ? doc : { ...doc, text }, split);
  }
  await out.close();
  const docsOut = Object.values(out.counts).reduce((a, b) => a + b, 0);
  return { docs_out: docsOut, bytes_out: bytesOut, boilerplate_lines_removed: removed, boilerplate_patterns: frequent.size, empty_after_clean: empty };
}
