/**
 * A Hugging Face GPT-2 folder brought in with `type: model`, through the CLI: the stage runs,
 * its output loads, a rerun is cached, editing a file of the folder makes it stale again, and
 * `trainyard sample` generates from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupBackend } from '../../src/backends/index.js';
import { loadModel } from '../../src/model/load.js';
import { charTokenizer } from '../../src/tokenizer/index.js';
import { cli, ended, events, project } from '../helpers/cli.js';
import { TINY, gridWeights, writeHfFolder } from '../helpers/hf-model.js';

const YAML = `
name: imported
backend: cpu
stages:
  base: { type: model, with: { path: ./models/tiny-gpt2 } }
`;

test('type: model imports a folder, is cached, re-runs when a file of the folder changes, and samples', { timeout: 120_000 }, async () => {
  const dir = await project(YAML);
  const src = join(dir, 'models', 'tiny-gpt2');
  const tok = charTokenizer(['Call me Ishmael. Some years ago, never mind how long precisely.']);
  await writeHfFolder(src, TINY, gridWeights(TINY, 2), { dtype: 'BF16', bare: true, buffers: true, tokenizer: tok.toJSON(), shards: 2, files: { 'tokenizer_config.json': '{"eos_token": "<|endoftext|>"}' } });

  const first = cli(['run', '--json'], dir);
  assert.equal(first.code, 0, first.stderr + first.stdout.slice(-2000));
  assert.deepEqual(ended(first.stdout, 'done'), ['base']);
  const out = events(first.stdout).find((e) => e.event === 'stageEnd' && e.name === 'base')!.outputs.model as string;
  await setupBackend('cpu');
  const loaded = await loadModel(out);
  assert.deepEqual(loaded.config, TINY);
  loaded.model.dispose();

  assert.deepEqual(ended(cli(['run', '--json'], dir).stdout, 'cached'), ['base']);
  writeFileSync(join(src, 'tokenizer_config.json'), '{"eos_token": "<|endoftext|>", "chat_template": "{{ x }}"}');
  assert.match(cli(['status'], dir).stdout, /base\s+will run.*tokenizer_config\.json/);
  const again = cli(['run', '--json'], dir);
  assert.deepEqual(ended(again.stdout, 'done'), ['base']);

  const s = cli(['sample', 'base', '--prompt', 'Call me', '--max-tokens', '5', '--backend', 'cpu'], dir);
  assert.equal(s.code, 0, s.stderr);
  assert.ok(s.stdout.startsWith('Call me'), s.stdout);
});
