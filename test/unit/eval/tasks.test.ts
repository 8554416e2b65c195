import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setupBackend } from '../../../src/backends/index.js';
import { loadModelFolder } from '../../../src/model/checkpoint.js';
import { GPT } from '../../../src/model/gpt.js';
import { render, resolveValue } from '../../../src/eval/template.js';
import { loadTask, parseTaskConfig } from '../../../src/eval/task-file.js';
import { encodePair, runTask } from '../../../src/eval/tasks.js';
import { scoreRequests, sumLogprobs } from '../../../src/eval/scorer.js';
import { continuationRequest } from '../../../src/eval/windows.js';
import { Registry } from '../../../src/plugins/registry.js';
import distinctPlugin from '../../../plugins/distinct-n-metric.js';
import { evalFixture } from './fixtures.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'tasks');

test('templates: fields, paths, strip/trim, whole-expression values', () => {
  const doc = { q: ' Who? ', choices: ['a', 'b'], n: { x: 3 } };
  assert.equal(render('{{q.strip()}}\nAnswer:', doc), 'Who?\nAnswer:');
  assert.equal(render('{{ q | trim }}-{{choices[1]}}-{{n.x}}', doc), 'Who?-b-3');
  assert.deepEqual(resolveValue('{{choices}}', doc), ['a', 'b']);
  assert.deepEqual(resolveValue('choices', doc), ['a', 'b']);
  assert.equal(resolveValue(2, doc), 2);
  assert.throws(() => render('{{missing}}', doc), /missing/);
});

test('task files: defaults, paths relative to the YAML, and E_TASK errors', async () => {
  const t = parseTaskConfig('/x/t.yaml', 'task: t\ndataset_path: d.jsonl\ndoc_to_text: "{{q}}"\ndoc_to_choice: c\ndoc_to_target: 0\n');
  assert.equal(t.dataset_path, '/x/d.jsonl');
  assert.equal(t.target_delimiter, ' ');
  assert.deepEqual(t.metrics, ['acc', 'acc_norm']);
  assert.throws(() => parseTaskConfig('/x/t.yaml', 'task: t\ndataset_path: d\ndoc_to_text: x\ndoc_to_target: 0\n'), (e: any) => e.code === 'E_TASK' && /doc_to_choice/.test(e.message));
  assert.throws(() => parseTaskConfig('/x/t.yaml', 'task: t\ndataset_path: d\ndoc_to_text: x\noutput_type: rank\ndoc_to_target: 0\n'), (e: any) => e.code === 'E_TASK');
  const { config, docs } = await loadTask(join(FIXTURES, 'cloze-mc.yaml'));
  assert.equal(docs.length, 8);
  assert.equal(config.num_fewshot, 1);
});

test('encodePair moves trailing spaces into the continuation (lm-eval _encode_pair)', async () => {
  const fx = await evalFixture({ testParagraphs: 1 });
  const p = encodePair(fx.tok, 'Call me ', 'Ishmael');
  assert.equal(fx.tok.decode(p.context), 'Call me');
  assert.equal(fx.tok.decode(p.continuation), ' Ishmael');
});

test('multiple choice: acc is argmax of the summed continuation log-likelihoods; generation tasks run plugin metrics', async () => {
  await setupBackend('cpu');
  const fx = await evalFixture({ steps: 30, testParagraphs: 1 });
  const { config, weights } = await loadModelFolder(fx.modelDir);
  const model = new GPT(config, weights);
  const { config: task, docs } = await loadTask(join(FIXTURES, 'cloze-mc.yaml'));
  const res = await runTask(model, fx.tok, task, docs, { batchSize: 3 });
  assert.equal(res.records.length, 7); // 8 documents minus 1 few-shot example
  assert.ok(res.records[0]!.prompt.startsWith('Complete the sentence.\n\n'));
  let correct = 0;
  for (const r of res.records) {
    const lls = await Promise.all(r.choices!.map(async (c) => {
      const p = encodePair(fx.tok, r.prompt, ' ' + c);
      return sumLogprobs((await scoreRequests(model, [continuationRequest(p.context, p.continuation, config.block_size)]))[0]!);
    }));
    lls.forEach((ll, i) => assert.ok(Math.abs(ll - r.loglikelihoods![i]!) < 1e-9));
    if (r.correct) correct++;
  }
  assert.equal(res.metrics['cloze_mc.acc'], correct / 7);
  assert.ok(res.metrics['cloze_mc.acc_stderr']! >= 0 && 'cloze_mc.acc_norm_stderr' in res.metrics);
  const registry = new Registry();
  registry.addPlugin(distinctPlugin, { name: 'distinct-n-metric', version: '1.0.0', codeHash: 't', specifier: 't' });
  const gen = await loadTask(join(FIXTURES, 'cloze-gen.yaml'));
  const g = await runTask(model, fx.tok, gen.config, gen.docs, { registry });
  assert.equal(g.records.length, 6);
  for (const r of g.records) assert.ok(!r.prediction.includes('.') && r.prediction.length <= 8);
  for (const k of ['exact_match', 'contains', 'distinct_n']) {
    assert.ok(typeof g.metrics[`cloze_gen.${k}`] === 'number' && typeof g.metrics[`cloze_gen.${k}_stderr`] === 'number', k);
  }
  model.dispose();
});
