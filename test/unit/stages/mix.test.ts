import assert from 'node:assert/strict';
import { test } from 'node:test';
import mixStage from '../../../src/stages/mix/index.js';
import { planMixture } from '../../../src/stages/mix/plan.js';
import { readDocuments, type Document } from '../../../src/artifacts/documents.js';
import { collect, docsFixture, runStage } from '../../helpers/stage-tester.js';
import { mobyChapter, sotuDocs } from '../../helpers/corpus.js';

const speeches = sotuDocs(100);
const paras: Document[] = mobyChapter(1).split('\n\n').concat(mobyChapter(2).split('\n\n'), mobyChapter(3).split('\n\n'))
  .filter((p) => p.length > 100).slice(0, 40).map((text, i) => ({ id: `m${i}`, text }));

async function mix(options: Record<string, unknown>, seed = 1337) {
  const res = await runStage(mixStage, { options, inputs: { sources: [await docsFixture(speeches), await docsFixture(paras)] }, seed });
  const docs = await collect(readDocuments(res.outputs.docs!));
  const from = (d: Document) => (d.id.startsWith('m') ? 'moby' : 'sotu');
  return { res, docs, count: (s: string) => docs.filter((d) => from(d) === s).length, bytes: (s: string) => docs.filter((d) => from(d) === s).reduce((a, d) => a + Buffer.byteLength(d.text), 0) };
}

test('planMixture: down-sampling, up-sampling and explicit totals', () => {
  assert.deepEqual(planMixture([100, 40], [1, 1], { upsample: false }).map((p) => [p.target, p.copies, p.rest]), [[40, 0, 40], [40, 1, 0]]);
  assert.deepEqual(planMixture([100, 40], [1, 1], { upsample: true }).map((p) => [p.target, p.copies, p.rest]), [[100, 1, 0], [100, 2, 20]]);
  assert.deepEqual(planMixture([100, 40], [3, 1], { upsample: true, total: 200 }).map((p) => p.target), [150, 50]);
});

test('document mixture hits the weights, interleaves and is deterministic under the seed', async () => {
  const a = await mix({ weights: [1, 1] });
  assert.equal(a.count('sotu'), 40);
  assert.equal(a.count('moby'), 40);
  assert.equal(new Set(a.docs.map((d) => d.id)).size, 80, 'no repeats without upsampling');
  assert.deepEqual(a.docs.slice(0, 4).map((d) => d.meta!.mix_source), ['fixture0', 'fixture1', 'fixture0', 'fixture1']);
  const again = await mix({ weights: [1, 1] });
  assert.deepEqual(again.docs.map((d) => d.id), a.docs.map((d) => d.id));
  const other = await mix({ weights: [1, 1] }, 7);
  assert.notDeepEqual(other.docs.map((d) => d.id).sort(), a.docs.map((d) => d.id).sort());
});

test('up-sampling repeats the small source to its share', async () => {
  const { count, docs } = await mix({ weights: [1, 1], upsample: true });
  assert.equal(count('sotu'), 100);
  assert.equal(count('moby'), 100);
  assert.equal(docs.filter((d) => d.meta!.mix_copy === 2).length, 20);
});

test('byte mixture by source name', async () => {
  const { bytes, res } = await mix({ weights: { fixture0: 1, fixture1: 1 }, unit: 'bytes' });
  const moby = bytes('moby'), sotu = bytes('sotu');
  assert.ok(Math.abs(sotu - moby) / moby < 0.35, `sotu ${sotu} vs moby ${moby} bytes`);
  assert.equal(res.stats.bytes_out_fixture1, moby);
  await assert.rejects(mix({ weights: { web: 1 } }), /unknown sources: web/);
});
