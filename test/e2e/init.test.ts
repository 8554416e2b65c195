/**
 * `trainyard init` end to end: scaffold from flags into a temp folder, then `validate` the
 * generated pipeline and really run its data half (shipped Moby-Dick → clean → the example
 * plugin's filter); refuse a non-empty folder unless --force.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ended, events } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'trainyard-init-'));

test('init with flags writes a project that validates and whose data stages run', { timeout: 120_000 }, () => {
  const parent = tmp();
  const r = cli(['init', 'demo', '--yes', '--name', 'whale-lm', '--data', 'moby-dick', '--model', 'tiny'], parent);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /created whale-lm \(moby-dick, tiny model\) in demo/);
  const dir = join(parent, 'demo');
  for (const f of ['trainyard.yaml', 'plugins/example.ts', 'README.md', '.gitignore']) assert.ok(existsSync(join(dir, f)), f);
  const yaml = readFileSync(join(dir, 'trainyard.yaml'), 'utf8');
  const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(yaml)?.[1];
  assert.ok(schema && existsSync(schema), `schema link points to a file: ${schema}`);
  assert.match(yaml, /files: "npm:@stdlib\/datasets-moby-dick\/data\/\*\.txt"/);
  assert.match(yaml, /n_layer: 2, n_head: 2, n_embd: 64/);
  assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /^# whale-lm\n\n## Training with Trainyard/);

  const v = cli(['validate'], dir);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /trainyard\.yaml: 6 stage\(s\), 1 plugin\(s\) — valid/);

  const run = cli(['run', '--until', 'filter', '--json'], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(ended(run.stdout, 'done'), ['books', 'clean', 'filter']);
  const books = events(run.stdout).find((e) => e.event === 'stageEnd' && e.name === 'books');
  assert.ok(books.stats.documents > 100, 'read the Moby-Dick chapters');
  assert.ok(events(run.stdout).some((e) => e.event === 'stageLog' && e.name === 'filter' && /too-short/.test(e.message)), 'the plugin rule ran');
});

test('sotu + small presets; a non-empty folder is refused unless --force, which keeps the README', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'README.md'), '# Mine\n\nkeep me\n');
  const refused = cli(['init', '--yes'], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /E_USAGE .* is not empty \(README\.md\)/);
  assert.match(refused.stderr, /--force/);
  assert.equal(existsSync(join(dir, 'trainyard.yaml')), false);

  const forced = cli(['init', '--yes', '--force', '--data', 'sotu', '--model', 'small'], dir);
  assert.equal(forced.code, 0, forced.stderr);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  assert.match(readme, /^# Mine\n\nkeep me\n\n## Training with Trainyard/);
  const yaml = readFileSync(join(dir, 'trainyard.yaml'), 'utf8');
  assert.match(yaml, /datasets-sotu/);
  assert.match(yaml, /steps: 2000/);
  assert.equal(cli(['validate'], dir).code, 0);
  // again: the README section is not duplicated
  assert.equal(cli(['init', '--yes', '--force'], dir).code, 0);
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8').split('## Training with Trainyard').length, 2);

  const bad = cli(['init', 'x', '--yes', '--data', 'shakespeare'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /moby-dick, sotu/);
});
