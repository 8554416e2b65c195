/**
 * @fileoverview The clean stage's body, two passes:
 *
 *   1. workers clean each document (email, HTML, Unicode, controls, whitespace) → tmp shards,
 *      and the main thread counts in how many documents each short line occurs;
 *   2. lines seen in ≥ boilerplate_min_docs documents are dropped.
 *
 * A document that comes out empty is never lost silently: it goes to `rejected` with
 * `meta.rejected = { reason, steps }` (its raw text when pass 1 emptied it, its cleaned text
 * when only boilerplate was left) and is counted as `dropped_<reason>`.
 */
import { join } from 'node:path';
import { DocumentsWriter, newIssues, readDocumentsWithSplit, reportIssues, type SplitDocument } from '../../artifacts/documents.js';
import { batched, ThreadPool } from '../../util/thread-pool.js';
import type { StageContext } from '../define.js';
import type { CleanOptions } from '../options.gen.js';
import { normalizeWhitespace } from './normalize.js';
import { DROP_REASONS, lineKey, type CleanResult, type CleanTaskOptions, type DropReason } from './task.js';

const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/** Documents dropped per reason, and the writer of the `rejected` output. */
class Drops {
  readonly counts = new Map<DropReason, number>();
  constructor(readonly out: DocumentsWriter) {}

  async add(reason: DropReason, { split, doc }: SplitDocument, detail: Record<string, unknown>): Promise<void> {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    await this.out.write({ ...doc, meta: { ...doc.meta, rejected: { reason, ...detail } } }, split);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  stats(): Record<string, number> {
    return { docs_dropped: this.total, empty_after_clean: this.total, ...Object.fromEntries(DROP_REASONS.map((r) => [`dropped_${r}`, this.counts.get(r) ?? 0])) };
  }

  /** `dropped 3: empty_input 1, empty_after_html 1, boilerplate_only 1` (reasons in pipeline order). */
  summary(): string {
    const parts = DROP_REASONS.filter((r) => this.counts.has(r)).map((r) => `${r} ${this.counts.get(r)}`);
    return `dropped ${this.total}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  }
}

export async function runClean(ctx: StageContext, o: CleanOptions): Promise<void> {
  const pass1 = join(ctx.tmpDir, 'clean-pass1');
  const drops = new Drops(new DocumentsWriter(ctx.outputs.rejected!.dir));
  const { docsIn, bytesIn, steps, lineDocs } = await cleanDocuments(ctx, o, pass1, drops);
  const pass2 = await dropBoilerplate(ctx, o, pass1, lineDocs, drops);
  await drops.out.close();
  ctx.stats({ docs_in: docsIn, bytes_in: bytesIn, ...Object.fromEntries(Object.entries(steps).map(([k, v]) => [`changed_${k}`, v])), ...pass2, ...drops.stats() });
  ctx.log.info(`clean: ${docsIn} docs in, ${pass2.docs_out} out, ${drops.summary()}; changed by step: ${JSON.stringify(steps)}; ` +
    `${pass2.boilerplate_lines_removed} boilerplate lines removed (${pass2.boilerplate_patterns} distinct)`);
}

/** Pass 1: workers clean every document; empty results go to `rejected`, the rest to `pass1`. */
async function cleanDocuments(ctx: StageContext, o: CleanOptions, pass1: string, drops: Drops) {
  const taskOptions: CleanTaskOptions = { ...o };
  const steps: Record<string, number> = {};
  const lineDocs = new Map<number, number>();
  const issues = newIssues();
  const pool = new ThreadPool(ctx.threads, new URL(`./task.${EXT}`, import.meta.url));
  const tmp = new DocumentsWriter(pass1);
  let docsIn = 0, bytesIn = 0;
  try {
    const batches = batched(readDocumentsWithSplit((ctx.inputs.docs ?? []).map((r) => r.path), issues), (x) => x.doc.text.length, o.batch_size);
    for await (const [batch, results] of pool.map<SplitDocument, CleanResult>('clean', batches, taskOptions, ctx.signal, (b) => b.map((x) => x.doc))) {
      for (const [i, item] of batch.entries()) {
        const r = results[i]!, { split, doc } = item;
        docsIn++;
        bytesIn += Buffer.byteLength(doc.text);
        for (const s of r.steps) steps[s] = (steps[s] ?? 0) + 1;
        if (r.dropped) { await drops.add(r.dropped, item, { steps: r.steps }); continue; }
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
  return { docsIn, bytesIn, steps, lineDocs };
}

/** Pass 2: drops lines seen in ≥ boilerplate_min_docs documents; a document left empty is rejected. */
async function dropBoilerplate(ctx: StageContext, o: CleanOptions, pass1: string, lineDocs: Map<number, number>, drops: Drops) {
  const min = o.boilerplate_min_docs;
  const frequent = new Set<number>();
  if (min > 0) for (const [k, n] of lineDocs) if (n >= min) frequent.add(k);
  lineDocs.clear();
  const out = new DocumentsWriter(ctx.outputs.docs!.dir);
  let removed = 0, bytesOut = 0;
  for await (const item of readDocumentsWithSplit([pass1], newIssues())) {
    const { split, doc } = item;
    let text = doc.text, lines = 0;
    if (frequent.size > 0) {
      const all = text.split('\n');
      const kept = all.filter((l) => {
        const k = l.length > 0 && l.length <= o.boilerplate_max_line_chars ? lineKey(l) : undefined;
        return !(k !== undefined && frequent.has(k));
      });
      lines = all.length - kept.length;
      removed += lines;
      if (kept.length !== all.length) text = normalizeWhitespace(kept.join('\n'));
    }
    if (text.length === 0) { await drops.add('boilerplate_only', item, { lines }); continue; }
    bytesOut += Buffer.byteLength(text);
    await out.write(text === doc.text ? doc : { ...doc, text }, split);
  }
  await out.close();
  const docsOut = Object.values(out.counts).reduce((a, b) => a + b, 0);
  return { docs_out: docsOut, bytes_out: bytesOut, boilerplate_lines_removed: removed, boilerplate_patterns: frequent.size };
}
