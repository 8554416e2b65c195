import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import dedupeStage from '../../../src/stages/dedupe/index.js';
import { jaccard, sCurve, shingleSet } from '../../../src/stages/dedupe/minhash.js';
import { bucketPairs } from '../../../src/stages/dedupe/verify.js';
import { readDocuments, type Document } from '../../../src/artifacts/documents.js';
import { collect, docsFixture, runStage } from '../../helpers/stage-tester.js';
import { mobyChapter, sotuDocs } from '../../helpers/corpus.js';

/** Replaces every `every`-th word with an edit: a near duplicate of a real text. */
function editWords(text: string, every: number): string {
  return text.split(' ').map((w, i) => (i % every === every - 1 ? 'EDITED' : w)).join(' ');
}

async function dedupe(docs: Document[], options: Record<string, unknown> = {}, threads = 1) {
  const res = await runStage(dedupeStage, { options, inputs: { docs: await docsFixture(docs) }, threads });
  return { res, kept: await collect(readDocuments(res.outputs.docs!)), dups: await collect(readDocuments(res.outputs.duplicates!)) };
}

const speeches = sotuDocs(30);
const para = mobyChapter(1).split('\n\n')[1]!; // ~200 words

test('S-curve matches the datatrove figures for 14 x 8', async () => {
  assert.equal(sCurve(14, 8, 0.8).toFixed(3), '0.924');
  assert.equal(sCurve(14, 8, 0.5).toFixed(3), '0.053');
  const { res } = await dedupe([{ id: 'a', text: para }]);
  assert.equal(res.stats.lsh_threshold, 0.719);
  assert.deepEqual([0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9].map((s) => res.stats[`lsh_p_${s}`]), [0.0533, 0.2111, 0.5645, 0.7716, 0.9235, 0.9884, 0.9996]);
  assert.ok(res.logs.some((l) => /14 bands x 8 rows: threshold ~0.719/.test(l)));
});

test('exact and near duplicates are caught, distinct speeches kept, first seen survives', async () => {
  const near = editWords(para, 60); // 3 of ~200 words edited
  assert.ok(jaccard(shingleSet(para, 5), shingleSet(near, 5)) >= 0.8, 'a near duplicate at the default threshold');
  const docs: Document[] = [
    ...speeches.slice(0, 10),
    { id: 'p-orig', text: para },
    { id: 'p-exact', text: `  ${para.toUpperCase().replace(/,/g, ' ;')}  ` },
    ...speeches.slice(10),
    { id: 'p-near', text: near },
    { id: 's-near', text: editWords(speeches[3]!.text, 100) },
  ];
  const { kept, dups, res } = await dedupe(docs);
  assert.deepEqual(kept.map((d) => d.id), [...speeches.map((d) => d.id).slice(0, 10), 'p-orig', ...speeches.slice(10).map((d) => d.id)]);
  assert.deepEqual(dups.map((d) => [d.id, (d.meta!.dedupe as any).duplicate_of, (d.meta!.dedupe as any).match]), [
    ['p-exact', 'p-orig', 'exact'], ['p-near', 'p-orig', 'near'], ['s-near', speeches[3]!.id, 'near'],
  ]);
  assert.deepEqual(kept.find((d) => d.id === 'p-orig')!.meta!.dedupe, { cluster: 'p-orig', cluster_size: 3 });
  assert.equal(kept[0]!.meta?.dedupe, undefined);
  assert.equal(res.stats.exact_duplicates, 1);
  assert.equal(res.stats.near_duplicates, 2);
  assert.equal(res.stats.clusters, 2);
});

test('exact mode ignores near duplicates; remove:false only annotates', async () => {
  const docs = [{ id: 'a', text: para }, { id: 'b', text: editWords(para, 40) }, { id: 'c', text: para }];
  const exact = await dedupe(docs, { mode: 'exact' });
  assert.deepEqual(exact.kept.map((d) => d.id), ['a', 'b']);
  const annotate = await dedupe(docs, { remove: false });
  assert.deepEqual(annotate.kept.map((d) => [d.id, (d.meta!.dedupe as any).cluster]), [['a', 'a'], ['b', 'a'], ['c', 'a']]);
});

test('exact-Jaccard check rejects weak candidates', async () => {
  const near = editWords(para, 12); // ~8% of words edited: J well below 0.9
  const j = jaccard(shingleSet(para, 5), shingleSet(near, 5));
  const loose = await dedupe([{ id: 'a', text: para }, { id: 'b', text: near }], { bands: 40, rows: 2, jaccard_check: false });
  assert.equal(loose.dups.length, 1, `J=${j} should be an LSH candidate with 40x2`);
  const strict = await dedupe([{ id: 'a', text: para }, { id: 'b', text: near }], { bands: 40, rows: 2, jaccard_check: true, jaccard_threshold: 0.9 });
  assert.equal(strict.dups.length, 0);
  assert.equal(strict.res.stats.jaccard_rejected, 1);
});

test('identical output with 1 or 2 threads and when spilling to disk', async () => {
  const docs = [...speeches, { id: 'x', text: speeches[5]!.text }, { id: 'y', text: editWords(speeches[7]!.text, 60) }];
  const dir = await docsFixture(docs);
  const outs: string[] = [];
  for (const [threads, budget] of [[1, 256], [2, 256], [2, 0.001]] as const) {
    const res = await runStage(dedupeStage, { options: { memory_budget_mb: budget, batch_size: 4 }, inputs: { docs: dir }, threads });
    outs.push(await readFile(join(res.outputs.docs!, 'all-00000.jsonl'), 'utf8') + await readFile(join(res.outputs.duplicates!, 'all-00000.jsonl'), 'utf8'));
    if (budget < 1) assert.ok((res.stats.spilled_bytes as number) > 0);
  }
  assert.equal(outs[0], outs[1]);
  assert.equal(outs[0], outs[2]);
});

test('empty and huge documents do not crash dedupe', async () => {
  const { kept, res } = await dedupe([{ id: 'e1', text: '' }, { id: 'e2', text: '  !! ' }, { id: 'big', text: 'word '.repeat(4_000_000) }, { id: 'p', text: para }]);
  assert.deepEqual(kept.map((d) => d.id), ['e1', 'e2', 'big', 'p']);
  assert.equal(res.stats.empty_docs, 2);
});

/** First `words` words of a text. */
function head(text: string, words: number): string {
  return text.split(/\s+/u).slice(0, words).join(' ');
}

test('default settings remove only documents with a verified twin (exact Jaccard >= threshold)', async () => {
  // 40 speeches, each followed by an edited copy at J ~0.67 (LSH candidates with p ~0.4,
  // not near duplicates at 0.8), and 5 copies at J ~0.9 (true near duplicates).
  const base = sotuDocs(45).map((d) => ({ id: d.id, text: head(d.text, 400) }));
  const docs: Document[] = base.flatMap((d, i) => [d, { id: `${d.id}-edit`, text: editWords(d.text, i < 40 ? 25 : 100) }]);
  const sets = new Map(docs.map((d) => [d.id, shingleSet(d.text, 5)]));
  const { dups, kept, res } = await dedupe(docs);
  const members = new Map<string, string[]>();
  for (const d of [...kept, ...dups]) {
    const c = (d.meta?.dedupe as { cluster?: string } | undefined)?.cluster;
    if (c) members.set(c, [...(members.get(c) ?? []), d.id]);
  }
  const unverified = dups.filter((d) => !members.get((d.meta!.dedupe as { cluster: string }).cluster)!
    .some((m) => m !== d.id && jaccard(sets.get(m)!, sets.get(d.id)!) >= 0.8));
  assert.deepEqual(unverified.map((d) => d.id), [], 'removed without a twin at J >= 0.8');
  assert.deepEqual(dups.map((d) => d.id), base.slice(40).map((d) => `${d.id}-edit`));
  assert.equal(res.stats.removed, 5);
  assert.equal(res.stats.removed_verified, 5);
  assert.equal(res.stats.verified_share, 1);
  assert.ok((res.stats.jaccard_rejected as number) > 0, 'some candidates were false positives');
  assert.ok(res.logs.some((l) => /removed 5 \(exact 0, near 5\); verified twin 5\/5 = 100\.0%/u.test(l)), res.logs.join('\n'));
});

test('clusters are transitive over verified edges only', async () => {
  const a = head(speeches[2]!.text, 600);
  const b = editWords(a, 70); // J(a,b) ~0.87
  const c = b.split(' ').map((w, i) => (i % 70 === 34 ? 'CHANGED' : w)).join(' '); // J(b,c) ~0.87, J(a,c) ~0.75
  const sa = shingleSet(a, 5), sb = shingleSet(b, 5), sc = shingleSet(c, 5);
  assert.ok(jaccard(sa, sb) >= 0.8 && jaccard(sb, sc) >= 0.8 && jaccard(sa, sc) < 0.8);
  const { kept, dups } = await dedupe([{ id: 'a', text: a }, { id: 'c', text: c }, { id: 'b', text: b }], { mode: 'near' });
  assert.deepEqual(kept.map((d) => d.id), ['a']);
  assert.deepEqual(dups.map((d) => [d.id, (d.meta!.dedupe as { duplicate_of: string }).duplicate_of]), [['c', 'a'], ['b', 'a']]);
});

test('every pair in a shared bucket is a candidate, not just pairs with its first member', () => {
  assert.deepEqual(bucketPairs([0, 5, 9], 8), [[0, 5], [0, 9], [5, 9]]);
  assert.deepEqual(bucketPairs([3, 3, 7], 8), [[3, 7]], 'members already in one exact cluster count once');
  const big = bucketPairs(Array.from({ length: 100 }, (_, i) => i), 4);
  assert.equal(big.length, 4 * 100 - 10, 'each member is paired with at most `cap` predecessors');
  assert.ok(big.every(([x, y]) => x < y && y - x <= 4));
});

test('jaccard_check: false keeps the unverified LSH behaviour and says precision is not measured', async () => {
  const docs = [{ id: 'a', text: para }, { id: 'b', text: editWords(para, 12) }];
  const { dups, res } = await dedupe(docs, { bands: 40, rows: 2, jaccard_check: false });
  assert.equal(dups.length, 1);
  assert.equal(res.stats.removed, 1);
  assert.equal(res.stats.verified_share, undefined);
  assert.ok(res.logs.some((l) => /verified twin not measured \(jaccard_check: false\)/u.test(l)), res.logs.join('\n'));
});
