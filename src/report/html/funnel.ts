/**
 * @fileoverview The data funnel: documents into and out of each data stage (source, clean,
 * dedupe, filter), the documents each rule or reason removed (from the stage's stats), and a
 * few removed documents per rule, read from the head of its `rejected` / `duplicates` output.
 *
 *   source 120 → clean 118 (−2 empty_after_html) → dedupe 110 (−6 exact, −2 near) → filter 80 (−30 length)
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Manifest, Store } from '../../cache/store.js';
import type { Funnel, FunnelExample, FunnelRow, FunnelStage, ReportStage } from './model.js';

/** Removed documents shown per rule. */
const EXAMPLES_PER_RULE = 3;
/** Characters of text kept per example. */
const EXAMPLE_CHARS = 280;
/** Lines read from a removed-documents output at most (it is only sampled). */
const SCAN_LINES = 20_000;

type Stats = Record<string, number | string>;
const num = (s: Stats, k: string): number | undefined => (typeof s[k] === 'number' ? (s[k] as number) : undefined);

/** In/out document counts of a data stage; undefined for stages that do not filter documents. */
function funnelStage(name: string, type: string, s: Stats): FunnelStage | undefined {
  if (type === 'source' && num(s, 'documents') !== undefined) return { stage: name, type, docsIn: num(s, 'documents')!, docsOut: num(s, 'documents')! };
  const docsIn = num(s, 'docs_in');
  const docsOut = num(s, 'docs_kept') ?? num(s, 'docs_out');
  return docsIn !== undefined && docsOut !== undefined ? { stage: name, type, docsIn, docsOut } : undefined;
}

/** Rows of removed documents per rule, from a stage's stats (examples filled in later). */
export function funnelRows(name: string, type: string, s: Stats): FunnelRow[] {
  const row = (rule: string, docs: number, bytes?: number, reasons: Record<string, number> = {}): FunnelRow => ({ stage: name, rule, docs, bytes, reasons, examples: [] });
  if (type === 'dedupe') return [row('exact', num(s, 'exact_duplicates') ?? 0), row('near', num(s, 'near_duplicates') ?? 0)];
  const rows: FunnelRow[] = [];
  for (const [k, v] of Object.entries(s)) {
    if (typeof v !== 'number' || !k.startsWith('dropped_') || k.startsWith('dropped_bytes_') || k.startsWith('dropped_reason_')) continue;
    const rule = k.slice('dropped_'.length);
    // clean lists every reason it knows; a filter's rules are the user's, shown even when they removed nothing.
    if (type !== 'filter' && v === 0) continue;
    const reasons: Record<string, number> = {};
    for (const [rk, rv] of Object.entries(s)) if (rk.startsWith(`dropped_reason_${rule}:`) && typeof rv === 'number') reasons[rk.slice(`dropped_reason_${rule}:`.length)] = rv;
    rows.push(row(rule, v, num(s, `dropped_bytes_${rule}`), reasons));
  }
  return rows;
}

/** The rule a removed document belongs to, and why, from its meta. */
export function describeRemoved(doc: { id?: unknown; text?: unknown; meta?: Record<string, any> }): { rule: string; example: FunnelExample } | undefined {
  const text = typeof doc.text === 'string' ? doc.text : '';
  const base = { id: String(doc.id ?? ''), text: text.length > EXAMPLE_CHARS ? text.slice(0, EXAMPLE_CHARS) + '…' : text };
  const r = doc.meta?.rejected;
  if (r && typeof r === 'object') {
    const rule = String(r.rule ?? r.reason ?? 'rejected');
    const parts = [r.rule !== undefined && r.reason !== undefined ? String(r.reason) : '', r.value !== undefined ? `value ${fmtValue(r.value)}` : '', r.threshold !== undefined ? `threshold ${fmtValue(r.threshold)}` : ''];
    return { rule, example: { ...base, why: parts.filter(Boolean).join(', ') || rule } };
  }
  const d = doc.meta?.dedupe;
  if (d && typeof d === 'object' && d.duplicate_of !== undefined) {
    const match = String(d.match ?? 'near');
    return { rule: match, example: { ...base, why: `duplicate of ${String(d.duplicate_of)}${typeof d.jaccard === 'number' ? ` (Jaccard ${d.jaccard})` : ''}` } };
  }
  return undefined;
}

const fmtValue = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : String(v));

/** Up to EXAMPLES_PER_RULE removed documents per rule from the JSONL files of a documents output. */
async function examples(store: Store, m: Manifest, port: string): Promise<Map<string, FunnelExample[]>> {
  const out = new Map<string, FunnelExample[]>();
  let lines = 0;
  for (const f of m.outputs[port]?.files ?? []) {
    const file = join(store.outputDir(m.key, port), f.path);
    if (!f.path.endsWith('.jsonl') || !existsSync(file)) continue;
    const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of rl) {
      if (++lines > SCAN_LINES) break;
      let doc: unknown;
      try { doc = JSON.parse(line); } catch { continue; }
      const d = doc && typeof doc === 'object' ? describeRemoved(doc as Parameters<typeof describeRemoved>[0]) : undefined;
      if (!d) continue;
      const list = out.get(d.rule) ?? [];
      if (list.length < EXAMPLES_PER_RULE) out.set(d.rule, [...list, d.example]);
    }
    rl.close();
    if (lines > SCAN_LINES) break;
  }
  return out;
}

/** The funnel over the run's stages (in topological order). */
export async function gatherFunnel(stages: readonly ReportStage[], manifests: ReadonlyMap<string, Manifest>, store: Store): Promise<Funnel> {
  const funnel: Funnel = { stages: [], rows: [] };
  for (const st of stages) {
    const m = manifests.get(st.name);
    if (!m || !st.type) continue;
    const fs = funnelStage(st.name, st.type, m.stats ?? {});
    if (!fs) continue;
    funnel.stages.push(fs);
    if (fs.type === 'source') continue;
    const rows = funnelRows(st.name, st.type, m.stats ?? {});
    for (const port of ['rejected', 'duplicates']) {
      if (m.outputs[port]?.kind !== 'documents') continue;
      for (const [rule, ex] of await examples(store, m, port)) {
        const row = rows.find((r) => r.rule === rule);
        if (row) row.examples = ex;
      }
    }
    funnel.rows.push(...rows);
  }
  return funnel;
}
