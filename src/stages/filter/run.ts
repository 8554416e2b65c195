/**
 * @fileoverview The filter stage's body: built-in rules run in worker threads (batches, in
 * order), plugin filters on the main thread, first failing rule in list order wins. Dropped
 * documents go to `rejected` with `meta.rejected = { rule, reason, value, threshold }`.
 */
import { DocumentsWriter, newIssues, readDocumentsWithSplit, reportIssues, type Document, type SplitDocument } from '../../artifacts/documents.js';
import { errors } from '../../errors/index.js';
import { batched, ThreadPool } from '../../util/thread-pool.js';
import type { FilterDrop, FilterResult } from '../../plugins/contracts.js';
import type { StageContext } from '../define.js';
import type { FilterOptions } from '../options.gen.js';
import { Funnel } from './funnel.js';
import { resolveRules, type ResolvedRule, type RuleEntry } from './resolve.js';
import type { BuiltinVerdict } from './task.js';

const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
type Rejection = { index: number; reason: string; value?: number | string; threshold?: number | string; detail?: string };

export async function runFilter(ctx: StageContext, options: FilterOptions): Promise<void> {
  const rules = await resolveRules(options.rules as RuleEntry[], ctx.registry);
  const builtins = rules.flatMap((r) => (r.kind === 'builtin' ? [{ index: r.index, name: r.name, options: r.options }] : []));
  const plugins = rules.filter((r): r is Extract<ResolvedRule, { kind: 'plugin' }> => r.kind === 'plugin');
  const kept = new DocumentsWriter(ctx.outputs.kept!.dir);
  const rejected = new DocumentsWriter(ctx.outputs.rejected!.dir);
  const funnel = new Funnel(rules.map((r) => r.label));
  const issues = newIssues();
  const pool = new ThreadPool(ctx.threads, new URL(`./task.${EXT}`, import.meta.url));
  try {
    const docs = readDocumentsWithSplit((ctx.inputs.docs ?? []).map((r) => r.path), issues);
    const batches = batched(docs, (x) => x.doc.text.length, options.batch_size);
    const stream = pool.map<SplitDocument, BuiltinVerdict>('evaluate', batches, { rules: builtins }, ctx.signal, (b) => b.map((x) => x.doc));
    for await (const [batch, verdicts] of stream) {
      for (const [i, { split, doc }] of batch.entries()) {
        const bytes = Buffer.byteLength(doc.text);
        funnel.docsIn++;
        funnel.bytesIn += bytes;
        const v = verdicts[i]!;
        const rej = firstPluginDrop(doc, plugins, 'drop' in v ? v.index : Infinity) ?? ('drop' in v ? builtinRejection(v.index, v.drop) : undefined);
        if (rej) {
          funnel.add(rej.index, bytes, rej.reason);
          const { index, ...rest } = rej;
          await rejected.write({ ...doc, meta: { ...doc.meta, rejected: { rule: rules[index]!.label, ...rest } } }, split);
        } else {
          await kept.write('meta' in v && v.meta ? { ...doc, meta: { ...doc.meta, ...v.meta } } : doc, split);
        }
      }
      ctx.progress({ done: funnel.docsIn, unit: 'docs' });
    }
  } finally {
    await pool.close();
  }
  await kept.close();
  await rejected.close();
  for (const line of funnel.lines()) ctx.log.info(line);
  ctx.stats(funnel.stats());
  reportIssues(ctx, issues);
}

function builtinRejection(index: number, d: FilterDrop): Rejection {
  const { keep: _keep, ...rest } = d;
  return { index, ...rest };
}

/** Runs plugin filters listed before position `before`, in order; the first drop wins. */
function firstPluginDrop(doc: Document, plugins: Extract<ResolvedRule, { kind: 'plugin' }>[], before: number): Rejection | undefined {
  for (const p of plugins) {
    if (p.index >= before) break;
    let res: FilterResult;
    try {
      res = p.fn(doc);
    } catch (err) {
      throw errors.filterThrew({ filter: p.name, doc: doc.id, reason: err instanceof Error ? err.message : String(err) }, { plugin: p.plugin, cause: err });
    }
    if (res === true) continue;
    if (res === false) return { index: p.index, reason: p.name };
    if (res && res.keep === false) return { index: p.index, reason: res.reason, value: res.value, threshold: res.threshold, detail: res.detail };
  }
  return undefined;
}
