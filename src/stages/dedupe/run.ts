/**
 * @fileoverview The dedupe stage's body, in three streaming passes:
 *
 *   1. keys      read docs → workers compute exact key + LSH band keys → BandStore (spills)
 *   2. cluster   per band: sort, group equal keys → exact band: union; LSH bands: candidate
 *                pairs, verified by exact Jaccard on the shingles (verify.ts) before the union
 *                (`jaccard_check: false`: every candidate is joined unverified)
 *   3. write     read docs again → first-seen doc of each cluster survives; the others go to
 *                `duplicates`; cluster members get meta.dedupe = {cluster, cluster_size}
 *
 * The summary gives precision: removed documents with a verified twin (an identical text, or
 * a cluster member at J ≥ jaccard_threshold) over all removed.
 */
import { DocumentsWriter, newIssues, readDocumentsWithSplit, reportIssues, type SplitDocument } from '../../artifacts/documents.js';
import { batched, ThreadPool } from '../../util/thread-pool.js';
import type { StageContext } from '../define.js';
import type { DedupeOptions } from '../options.gen.js';
import { BandStore } from '../../util/band-store.js';
import { lshThreshold, sCurve, type MinHashConfig } from './minhash.js';
import { UnionFind } from './union-find.js';
import { bucketPairs, PairSet, verifyPairs } from './verify.js';

const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const EXACT = 1, NEAR = 2;

/** Logs the S-curve for the chosen bands × rows and records it in stats. */
function reportSCurve(ctx: StageContext, b: number, r: number): void {
  const points = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];
  const ps = points.map((s) => sCurve(b, r, s));
  ctx.log.info(`minhash LSH ${b} bands x ${r} rows: threshold ~${lshThreshold(b, r).toFixed(3)}; P(candidate | jaccard) ` +
    points.map((s, i) => `${s}: ${ps[i]!.toFixed(3)}`).join(', '));
  ctx.stats({ lsh_threshold: Number(lshThreshold(b, r).toFixed(4)), ...Object.fromEntries(points.map((s, i) => [`lsh_p_${s}`, Number(ps[i]!.toFixed(4))])) });
}

export async function runDedupe(ctx: StageContext, o: DedupeOptions): Promise<void> {
  const cfg: MinHashConfig = { n_grams: o.n_grams, bands: o.bands, rows: o.rows, seed: o.seed };
  const exactOnly = o.mode === 'exact';
  if (!exactOnly) reportSCurve(ctx, o.bands, o.rows);
  const dirs = (ctx.inputs.docs ?? []).map((r) => r.path);
  const pool = new ThreadPool(ctx.threads, new URL(`./task.${EXT}`, import.meta.url));
  try {
    const store = new BandStore(exactOnly ? 1 : 1 + o.bands, ctx.tmpDir, o.memory_budget_mb * 2 ** 20);
    const { n, empty } = await collectKeys(ctx, o, cfg, exactOnly, dirs, pool, store);
    const clusters = await cluster(ctx, o, dirs, pool, store, n);
    ctx.stats({ empty_docs: empty, spilled_bytes: store.spilledBytes, candidate_pairs: clusters.candidates, jaccard_checked: clusters.checked, jaccard_rejected: clusters.rejected });
    await writeOutputs(ctx, o, dirs, clusters, n);
  } finally {
    await pool.close();
  }
}

async function collectKeys(ctx: StageContext, o: DedupeOptions, cfg: MinHashConfig, exactOnly: boolean, dirs: string[], pool: ThreadPool, store: BandStore) {
  let n = 0, empty = 0;
  const issues = newIssues();
  const batches = batched(readDocumentsWithSplit(dirs, issues), (x) => x.doc.text.length, o.batch_size);
  for await (const [, keys] of pool.map<SplitDocument, number[] | null>('keys', batches, { ...cfg, exactOnly }, ctx.signal, (b) => b.map((x) => x.doc.text))) {
    for (const k of keys) {
      if (k === null) empty++;
      else {
        const first = o.mode === 'near' ? 1 : 0;
        for (let band = first; 2 * band < k.length; band++) await store.add(band, k[2 * band]!, k[2 * band + 1]!, n);
      }
      n++;
    }
    ctx.progress({ done: n, unit: 'docs', message: 'hashing' });
  }
  reportIssues(ctx, issues);
  return { n, empty };
}

/** Union-find over the documents, how each joined (EXACT/NEAR) and its best verified similarity. */
interface Clusters { uf: UnionFind; kind: Uint8Array; best?: Float32Array; candidates: number; checked: number; rejected: number }

async function cluster(ctx: StageContext, o: DedupeOptions, dirs: string[], pool: ThreadPool, store: BandStore, n: number): Promise<Clusters> {
  const uf = new UnionFind(n);
  const kind = new Uint8Array(n);
  const pairs = new PairSet(n);
  for (let band = 0; band < store.bands; band++) {
    const exact = band === 0 && o.mode !== 'near';
    for (const g of await store.groups(band)) {
      if (exact) for (const d of g.slice(1)) { uf.union(g[0]!, d); kind[d] = EXACT; }
      // Only exact unions have happened yet, so find() maps a member to its exact cluster.
      else if (o.jaccard_check) for (const [x, y] of bucketPairs(g.map((d) => uf.find(d)))) pairs.add(x, y);
      else for (const d of g.slice(1)) if (uf.union(g[0]!, d) && kind[d] === 0) kind[d] = NEAR;
    }
  }
  if (pairs.size === 0) return { uf, kind, best: o.jaccard_check ? new Float32Array(n) : undefined, candidates: 0, checked: 0, rejected: 0 };
  const sets = await shingleSets(ctx, o, dirs, pool, pairs.docs());
  const v = verifyPairs(pairs, sets, uf, o.jaccard_threshold, n);
  for (let i = 0; i < n; i++) if (v.best[i]! > 0 && kind[i] === 0) kind[i] = NEAR;
  return { uf, kind, best: v.best, candidates: pairs.size, checked: v.checked, rejected: v.rejected };
}

/** Shingle sets of the documents named in candidate pairs (memory grows with candidates). */
async function shingleSets(ctx: StageContext, o: DedupeOptions, dirs: string[], pool: ThreadPool, wanted: Set<number>): Promise<Map<number, Uint32Array>> {
  const out = new Map<number, Uint32Array>();
  async function* picked(): AsyncGenerator<[number, string]> {
    let i = 0;
    for await (const { doc } of readDocumentsWithSplit(dirs, newIssues())) { if (wanted.has(i)) yield [i, doc.text]; i++; }
  }
  const batches = batched(picked(), (x) => x[1].length, o.batch_size);
  for await (const [batch, sets] of pool.map<[number, string], Uint32Array>('shingles', batches, { n_grams: o.n_grams }, ctx.signal, (b) => b.map((x) => x[1]))) {
    batch.forEach(([i], k) => out.set(i, sets[k]!));
  }
  return out;
}

async function writeOutputs(ctx: StageContext, o: DedupeOptions, dirs: string[], c: Clusters, n: number): Promise<void> {
  const { uf, kind, best } = c;
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[uf.find(i)]!++;
  const docs = new DocumentsWriter(ctx.outputs.docs!.dir);
  const dups = new DocumentsWriter(ctx.outputs.duplicates!.dir);
  const rootIds = new Map<number, string>();
  let i = 0, exact = 0, near = 0, verified = 0, clusters = 0, largest = 1;
  for await (const { split, doc } of readDocumentsWithSplit(dirs, newIssues())) {
    const root = uf.find(i), cs = size[root]!;
    if (cs > 1) {
      if (root === i) { rootIds.set(i, doc.id); clusters++; largest = Math.max(largest, cs); }
      const dedupe = { cluster: rootIds.get(root)!, cluster_size: cs };
      if (root !== i && o.remove) {
        const isExact = kind[i] === EXACT;
        isExact ? exact++ : near++;
        if (isExact || (best?.[i] ?? 0) > 0) verified++;
        const jaccard = !isExact && best ? { jaccard: Number(best[i]!.toFixed(4)) } : {};
        await dups.write({ ...doc, meta: { ...doc.meta, dedupe: { ...dedupe, duplicate_of: dedupe.cluster, match: isExact ? 'exact' : 'near', ...jaccard } } }, split);
      } else await docs.write({ ...doc, meta: { ...doc.meta, dedupe } }, split);
    } else await docs.write(doc, split);
    i++;
  }
  await docs.close();
  await dups.close();
  const removed = exact + near;
  const measured = best !== undefined || o.mode === 'exact';
  ctx.stats({ docs_in: n, docs_out: Object.values(docs.counts).reduce((a, b) => a + b, 0), removed, exact_duplicates: exact, near_duplicates: near,
    ...(measured ? { removed_verified: verified, verified_share: removed ? Number((verified / removed).toFixed(4)) : 1 } : {}), clusters, largest_cluster: largest });
  const share = measured ? `verified twin ${verified}/${removed} = ${removed ? ((100 * verified) / removed).toFixed(1) : '100.0'}%` : 'verified twin not measured (jaccard_check: false)';
  const checks = best ? `; ${c.candidates} candidate pairs, ${c.checked} checked, ${c.rejected} below J ${o.jaccard_threshold}` : '';
  ctx.log.info(`dedupe: ${n} docs in, removed ${removed} (exact ${exact}, near ${near}); ${share}${checks}; ${clusters} clusters (largest ${largest})`);
}
