/**
 * @fileoverview The split stage's body. Every document gets a cluster key: the smallest
 * exact-text hash among the documents it is joined to (exact duplicates, MinHash-LSH near
 * duplicates, and equal `meta.dedupe.cluster`). The split is a seeded hash of that key, so a
 * whole near-duplicate cluster lands in one split, and adding documents moves no others
 * (except clusters the new ones merge).
 */
import { DocumentsWriter, newIssues, readDocumentsWithSplit, reportIssues, type SplitDocument } from '../../artifacts/documents.js';
import { hash32 } from '../../util/hash.js';
import { batched, ThreadPool } from '../../util/thread-pool.js';
import type { StageContext } from '../define.js';
import { BandStore } from '../../util/band-store.js';
import { UnionFind } from '../dedupe/union-find.js';
import type { SplitOptions } from '../options.gen.js';

const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/** Maps a uniform bucket in [0, 1) to a split name. */
function splitOf(bucket: number, validation: number, test: number): 'train' | 'validation' | 'test' {
  if (bucket < test) return 'test';
  if (bucket < test + validation) return 'validation';
  return 'train';
}

function grow(a: Uint32Array, n: number): Uint32Array {
  if (n < a.length) return a;
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

export async function runSplit(ctx: StageContext, o: SplitOptions): Promise<void> {
  const dirs = (ctx.inputs.docs ?? []).map((r) => r.path);
  const cfg = { n_grams: o.n_grams, bands: o.bands, rows: o.rows, seed: 1, exactOnly: o.by === 'id' };
  const store = new BandStore(o.bands + 2, ctx.tmpDir, 256 * 2 ** 20);
  let keyHi: Uint32Array = new Uint32Array(1024), keyLo: Uint32Array = new Uint32Array(1024);
  let n = 0;
  const issues = newIssues();
  const pool = new ThreadPool(ctx.threads, new URL(`../dedupe/task.${EXT}`, import.meta.url));
  try {
    const batches = batched(readDocumentsWithSplit(dirs, issues), (x) => x.doc.text.length, o.batch_size);
    for await (const [batch, keys] of pool.map<SplitDocument, number[] | null>('keys', batches, cfg, ctx.signal, (b) => b.map((x) => x.doc.text))) {
      for (const [i, { doc }] of batch.entries()) {
        keyHi = grow(keyHi, n); keyLo = grow(keyLo, n);
        const k = o.by === 'id' ? null : keys[i];
        keyHi[n] = k ? k[0]! : hash32(doc.id, 1); keyLo[n] = k ? k[1]! : hash32(doc.id, 2);
        if (k) for (let band = 0; 2 * band < k.length; band++) await store.add(band, k[2 * band]!, k[2 * band + 1]!, n);
        const cluster = (doc.meta?.dedupe as { cluster?: unknown } | undefined)?.cluster;
        if (o.by !== 'id' && typeof cluster === 'string') await store.add(o.bands + 1, hash32(cluster, 1), hash32(cluster, 2), n);
        n++;
      }
      ctx.progress({ done: n, unit: 'docs', message: 'hashing' });
    }
  } finally {
    await pool.close();
  }
  reportIssues(ctx, issues);
  const uf = new UnionFind(n);
  for (let band = 0; band < store.bands; band++) for (const g of await store.groups(band)) for (const d of g.slice(1)) uf.union(g[0]!, d);
  // Cluster key = the smallest member key (stable when unrelated documents are added).
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (keyHi[i]! < keyHi[r]! || (keyHi[i] === keyHi[r] && keyLo[i]! < keyLo[r]!)) { keyHi[r] = keyHi[i]!; keyLo[r] = keyLo[i]!; }
  }
  await writeSplits(ctx, o, dirs, uf, keyHi, keyLo);
}

async function writeSplits(ctx: StageContext, o: SplitOptions, dirs: string[], uf: UnionFind, keyHi: Uint32Array, keyLo: Uint32Array): Promise<void> {
  const out = new DocumentsWriter(ctx.outputs.docs!.dir);
  let i = 0;
  for await (const { doc } of readDocumentsWithSplit(dirs, newIssues())) {
    const r = uf.find(i++);
    const bucket = hash32(`${keyHi[r]}:${keyLo[r]}`, o.seed) / 2 ** 32;
    await out.write(doc, splitOf(bucket, o.validation, o.test));
  }
  await out.close();
  const counts = { train: out.counts.train ?? 0, validation: out.counts.validation ?? 0, test: out.counts.test ?? 0 };
  ctx.stats({ docs_train: counts.train, docs_validation: counts.validation, docs_test: counts.test, bytes_train: out.bytes.train ?? 0, bytes_validation: out.bytes.validation ?? 0, bytes_test: out.bytes.test ?? 0 });
  ctx.log.info(`split: train ${counts.train}, validation ${counts.validation}, test ${counts.test} docs`);
}
