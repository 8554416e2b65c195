/**
 * Plugin filters through the whole engine: loaded by path, used by the filter stage, and
 * their name@version + code hash invalidate the stages that use them (and only those).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  assert.ok(quiet, 'quiet ended');
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

test('a TypeScript plugin inside a CommonJS package ("type": "commonjs") still loads', async () => {
  const dir = await project(`
plugins: [./plugins/short.ts]
stages:
  raw: { type: source, with: { files: docs.jsonl } }
  f: { type: filter, inputs: { docs: raw }, with: { rules: [too-short] } }
`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-user', version: '1.0.0', type: 'commonjs' }));
  mkdirSync(join(dir, 'plugins'));
  writeFileSync(join(dir, 'plugins/short.ts'), `import type { Document, FilterResult } from 'trainyard';
const tooShort = (d: Document): FilterResult => d.text.length >= 10 || { keep: false, reason: 'too_short', value: d.text.length, threshold: 10 };
export default { name: 'short', version: '0.1.0', filters: { 'too-short': tooShort } };
`);
  writeFileSync(join(dir, 'docs.jsonl'), [{ id: 'a', text: 'long enough text' }, { id: 'b', text: 'tiny' }].map((d) => JSON.stringify(d)).join('\n'));
  const r = cli(['run', '--json'], dir);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const f = events(r.stdout).find((e) => e.event === 'stageEnd' && e.name === 'f');
  assert.ok(f, 'f ended');
  assert.match(readFileSync(join(f.outputs.rejected, 'all-00000.jsonl'), 'utf8'), /"b".*too_short/);
});
