import assert from 'node:assert/strict';
import { test } from 'node:test';
import splitStage from '../../../src/stages/split/index.js';
import { readDocumentsWithSplit, type Document } from '../../../src/artifacts/documents.js';
import { collect, docsFixture, runStage } from '../../helpers/stage-tester.js';
import { mobyChapter, sotuDocs } from '../../helpers/corpus.js';

async function split(docs: Document[], options: Record<string, unknown> = {}) {
  const res = await runStage(splitStage, { options, inputs: { docs: await docsFixture(docs) } });
  const pairs = await collect(readDocumentsWithSplit(res.outputs.docs!));
  return { res, of: new Map(pairs.map(({ split: s, doc: d }) => [d.id, s])) };
}

// Paragraphs of Moby Dick as many small documents.
const paras: Document[] = Array.from({ length: 40 }, (_, c) => mobyChapter(c + 1).split('\n\n').slice(1).filter((p) => p.length > 200))
  .flat().map((text, i) => ({ id: `m${i}`, text }));

test('fractions are close to the requested ones on real text', async () => {
  const { of, res } = await split(paras, { validation: 0.1, test: 0.1 });
  const n = paras.length;
  assert.ok(n > 300);
  const count = (s: string) => [...of.values()].filter((x) => x === s).length;
  assert.ok(Math.abs(count('validation') / n - 0.1) < 0.04, `validation ${count('validation')}/${n}`);
  assert.ok(Math.abs(count('test') / n - 0.1) < 0.04, `test ${count('test')}/${n}`);
  assert.equal(res.stats.docs_train, count('train'));
});

test('adding documents does not move existing ones', async () => {
  const half = paras.slice(0, Math.floor(paras.length / 2));
  const a = await split(half, { validation: 0.2, test: 0.2 });
  const b = await split([...sotuDocs(40), ...paras], { validation: 0.2, test: 0.2 });
  for (const d of half) assert.equal(b.of.get(d.id), a.of.get(d.id), d.id);
});

test('exact and near duplicates never cross splits; dedupe cluster ids are honoured', async () => {
  const docs: Document[] = [];
  for (const [i, p] of paras.slice(0, 60).entries()) {
    docs.push({ ...p, meta: { dedupe: { cluster: p.id, cluster_size: 2 } } }, { id: `${p.id}-exact`, text: p.text.toUpperCase() });
    docs.push({ id: `${p.id}-near`, text: p.text.split(' ').map((w, k) => (k === 7 ? 'EDITED' : w)).join(' ') });
    docs.push({ id: `${p.id}-tagged`, text: `unrelated text number ${i} ${'filler '.repeat(i)}`, meta: { dedupe: { cluster: p.id, cluster_size: 2 } } });
  }
  const { of } = await split(docs, { validation: 0.3, test: 0.3 });
  for (const p of paras.slice(0, 60)) {
    const s = of.get(p.id);
    assert.equal(of.get(`${p.id}-exact`), s);
    assert.equal(of.get(`${p.id}-near`), s);
    assert.equal(of.get(`${p.id}-tagged`), s);
  }
  assert.equal(new Set(of.values()).size, 3);
});

test('fractions that leave no training data are refused', async () => {
  await assert.rejects(split(paras.slice(0, 2), { validation: 0.5, test: 0.5 }), /must be below 1/);
});
