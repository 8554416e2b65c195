import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import evalStage from '../../../src/stages/eval/index.js';
import distinctPlugin from '../../../plugins/distinct-n-metric.js';
import { docsFixture, runStage } from '../../helpers/stage-tester.js';
import { evalFixture } from '../eval/fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

test('eval stage: a trained model beats uniform; metrics.json, samples, details, stderr for every averaged metric', async () => {
  const fx = await evalFixture({ steps: 40, testParagraphs: 4 });
  const res = await runStage(evalStage, {
    inputs: { model: fx.modelDir, tokens: fx.tokensDir },
    options: { tasks: ['pipelines/tasks/moby-cloze.yaml'], prompts: ['Call me', 'The whale'], sample_tokens: 12, metrics: ['distinct_n', 'mean_length'], metric_options: { distinct_n: { n: 1 } }, lambada_min_words: 10, lambada_max_items: 20, bootstrap_iters: 200 },
    cwd: ROOT, plugins: [distinctPlugin],
  });
  const m = JSON.parse(await readFile(join(res.outputs.metrics!, 'metrics.json'), 'utf8')) as Record<string, number>;
  assert.ok(m.loss! < Math.log(fx.config.vocab_size) - 0.5, `loss ${m.loss} vs uniform ${Math.log(fx.config.vocab_size)}`);
  assert.ok(m.bits_per_byte! > 0 && m.bits_per_byte! < Math.log2(fx.config.vocab_size));
  for (const k of ['perplexity', 'bits_per_byte', 'lambada.acc', 'moby_cloze.acc', 'moby_cloze.acc_norm', 'samples.distinct_n', 'samples.mean_length']) {
    assert.equal(typeof m[k], 'number', `${k} in ${Object.keys(m).join(' ')}`);
    assert.equal(typeof m[`${k}_stderr`], 'number', `${k}_stderr`);
  }
  assert.ok(m['lambada.items']! >= 1);
  assert.ok(m['moby_cloze.acc']! >= 0 && m['moby_cloze.acc']! <= 1);
  // moby-cloze is built from chapters 1-10 and the model trained on 1-3: those items are found.
  assert.ok(m['contamination.item_rate']! > 0.1 && m['contamination.item_rate']! < 0.6, `item rate ${m['contamination.item_rate']}`);
  assert.ok(res.logs.some((l) => l.startsWith('warn: contamination')));
  const samples = (await readFile(join(res.outputs.metrics!, 'samples.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(samples.map((s) => s.prompt), ['Call me', 'The whale']);
  assert.ok(samples.every((s) => typeof s.completion === 'string' && s.completion.length > 0));
  const details = (await readFile(join(res.outputs.metrics!, 'details.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(details.filter((d) => d.task === 'moby_cloze').length, 40);
  assert.equal(details.filter((d) => d.task === 'lambada').length, m['lambada.items']);
  assert.ok(res.metrics.some((x) => x.name === 'bits_per_byte'));
});

test('eval stage: held-out documents that are in the training documents trigger the contamination warning', async () => {
  const fx = await evalFixture({ testParagraphs: 2 });
  const docs = await docsFixture([
    ...fx.train.slice(0, 8).map((text, i) => ({ id: `t${i}`, text })),
  ], 'train');
  await docsFixture(fx.train.slice(2, 5).map((text, i) => ({ id: `x${i}`, text })), 'test', docs);
  const res = await runStage(evalStage, { inputs: { model: fx.modelDir, docs }, options: { lambada: false, bootstrap_iters: 50 } });
  const m = JSON.parse(await readFile(join(res.outputs.metrics!, 'metrics.json'), 'utf8')) as Record<string, number>;
  assert.equal(m['contamination.item_rate'], 1);
  assert.ok(res.logs.some((l) => l.startsWith('warn: contamination')), res.logs.join('\n'));
  assert.equal(typeof m.bits_per_byte, 'number'); // perplexity on the encoded held-out documents
});

test('eval stage: an unknown metric is a user error with a suggestion', async () => {
  const fx = await evalFixture({ testParagraphs: 1 });
  await assert.rejects(runStage(evalStage, { inputs: { model: fx.modelDir }, options: { prompts: ['Hi'], sample_tokens: 2, metrics: ['distinct-n'] }, plugins: [distinctPlugin] }),
    (e: any) => e.code === 'E_UNKNOWN_METRIC' && /Did you mean "distinct_n"/.test(e.message));
});
