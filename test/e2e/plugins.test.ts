/**
 * Plugin filters through the whole engine: loaded by path, used by the filter stage, and
 * their name@version + code hash invalidate the stages that use them (and only those).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cli, ended, events, project } from '../helpers/cli.js';

test('a plugin filter drops what it claims, with the reason; editing the plugin re-runs only its users', async () => {
  const plugin = readFileSync(join(ROOT, 'plugins/shouting-filter.ts'), 'utf8').replace("'../src/index.js'", JSON.stringify(join(ROOT, 'src/index.js')));
  const dir = await project(`
plugins: [./shouting.ts]
stages:
  raw: { type: source, with: { files: docs.jsonl } }
  quiet: { type: filter, inputs: { docs: raw }, with: { rules: [shouting] } }
  other: { type: filter, inputs: { docs: raw }, with: { rules: [{ name: length, min_chars: 5 }] } }
`);
  writeFileSync(join(dir, 'shouting.ts'), plugin);
  writeFileSync(join(dir, 'docs.jsonl'), [
    { id: 'calm', text: 'Call me Ishmael. Some years ago, never mind how long precisely.' },
    { id: 'loud', text: 'THERE SHE BLOWS! THERE SHE BLOWS! A HUMP LIKE A SNOW-HILL!' },
  ].map((d) => JSON.stringify(d)).join('\n'));
  const r = cli(['run', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const quiet = events(r.stdout).find((e) => e.event === 'stageEnd' && e.name === 'quiet');
  const kept = readFileSync(join(quiet.outputs.kept, 'all-00000.jsonl'), 'utf8');
  const rejected = JSON.parse(readFileSync(join(quiet.outputs.rejected, 'all-00000.jsonl'), 'utf8'));
  assert.match(kept, /"calm"/);
  assert.equal(rejected.id, 'loud');
  assert.equal(rejected.meta.rejected.rule, 'shouting');
  assert.equal(rejected.meta.rejected.threshold, 0.5);
  assert.ok(rejected.meta.rejected.value > 0.9);

  writeFileSync(join(dir, 'shouting.ts'), plugin.replace("version: '1.0.0'", "version: '1.0.1'"));
  const s = cli(['status'], dir);
  assert.match(s.stdout, /quiet\s+will run\s+plugins changed/);
  assert.match(s.stdout, /other\s+cached/);
  assert.match(s.stdout, /raw\s+cached/);
  const again = cli(['run', '--json'], dir);
  assert.deepEqual(ended(again.stdout, 'done'), ['quiet']);
});
