/**
 * A file an option names is part of the cache key by content (issue: a tokenizer.json edited
 * in place was a cache hit and its stale tokens were reused): `status` names the changed file
 * and `run` re-runs the stage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { charTokenizer } from '../../src/tokenizer/index.js';
import { cli, ended, project } from '../helpers/cli.js';

const YAML = `
stages:
  raw: { type: source, with: { files: "*.txt" } }
  tokenize: { type: tokenize, inputs: { docs: raw }, with: { mode: pretrained, pretrained: ./tok/tokenizer.json } }
`;

test('tokenize: editing the tokenizer.json it loads makes it stale, named by status', { timeout: 60_000 }, async () => {
  const dir = await project(YAML);
  writeFileSync(join(dir, 'a.txt'), 'call me ishmael');
  mkdirSync(join(dir, 'tok'));
  writeFileSync(join(dir, 'tok', 'tokenizer.json'), JSON.stringify(charTokenizer(['call me ishmael']).toJSON()));
  assert.equal(cli(['run'], dir).code, 0);
  assert.deepEqual(ended(cli(['run', '--json'], dir).stdout, 'cached'), ['raw', 'tokenize']);
  writeFileSync(join(dir, 'tok', 'tokenizer.json'), JSON.stringify(charTokenizer(['call me ishmael, the whale']).toJSON()));
  const status = cli(['status'], dir).stdout;
  assert.match(status, /tokenize\s+will run.*file tok\/tokenizer\.json changed/, status);
  assert.match(cli(['run', '-n'], dir).stdout, /tokenize/);
  const again = cli(['run', '--json'], dir);
  assert.deepEqual(ended(again.stdout, 'done'), ['tokenize']);
});
