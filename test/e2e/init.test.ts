/**
 * `trainyard init` end to end: scaffold from flags into a temp folder, then `validate` the
 * generated pipeline and really run its data half (shipped Moby-Dick → clean → the example
 * plugin's filter); refuse a non-empty folder unless --force; answer the prompts in tmux.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, cli, ended, events } from '../helpers/cli.js';

const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

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
  assert.ok(books, 'books ended');
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

test('init asks on a terminal (tmux): name, data and model prompts; Ctrl-C writes nothing', { skip: spawnSync('tmux', ['-V']).status !== 0 ? 'tmux is not installed' : false, timeout: 150_000 }, async () => {
  const parent = tmp();
  const session = `trainyard-init-${process.pid}`;
  const tmux = (...a: string[]) => execFileSync('tmux', a, { encoding: 'utf8' });
  const until = async (re: RegExp) => {
    for (let i = 0; i < 240; i++) {
      const s = tmux('capture-pane', '-p', '-t', session);
      if (re.test(s)) return s;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`screen never matched ${re}: ${tmux('capture-pane', '-p', '-t', session)}`);
  };
  const start = (dir: string) => tmux('new-session', '-d', '-x', '100', '-y', '20', '-s', session,
    `cd ${parent} && env -u CI ${process.execPath} --import ${TSX} ${CLI} init ${dir}; echo EXIT=$?; sleep 30`);
  try {
    start('asked');
    await until(/\? Project name \(asked\)/);
    tmux('send-keys', '-t', session, 'C-u', 'my-lm', 'Enter');
    await until(/\? Training data/);
    tmux('send-keys', '-t', session, 'Down', 'Enter');
    await until(/\? Model size/);
    tmux('send-keys', '-t', session, 'Enter');
    const s = await until(/EXIT=\d+/);
    assert.match(s, /created my-lm \(sotu, tiny model\) in asked/);
    assert.match(s, /EXIT=0/);
    const yaml = readFileSync(join(parent, 'asked/trainyard.yaml'), 'utf8');
    assert.match(yaml, /^name: my-lm$/m);
    assert.match(yaml, /datasets-sotu/);
    tmux('kill-session', '-t', session);

    start('dropped');
    await until(/\? Project name/);
    tmux('send-keys', '-t', session, 'C-c');
    assert.match(await until(/EXIT=\d+/), /init cancelled; nothing written\s+EXIT=130/);
    assert.equal(existsSync(join(parent, 'dropped/trainyard.yaml')), false);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
});
