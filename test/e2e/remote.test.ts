/**
 * A remote cache in a folder shared by two workspaces: the first computes and pushes, the
 * second runs the same pipeline with every stage pulled and none recomputed; `push`/`pull`
 * move results computed before a remote was set; TRAINYARD_REMOTE=none turns it off; a
 * damaged remote entry is a warning and a run, never a wrong result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ended, events } from '../helpers/cli.js';
import { tinyProject } from '../helpers/tiny.js';

const STAGES = ['eval', 'pretrain', 'raw', 'split', 'tokenize'];
const modelOf = (stdout: string) => events(stdout).find((e) => e.event === 'stageEnd' && e.name === 'pretrain' || e.event === 'stageCached' && e.name === 'pretrain')!.outputs.model as string;

test('two workspaces share a folder remote (pipeline remote:, user config): the second pulls every stage and computes none', { timeout: 120_000 }, async () => {
  const shared = await mkdtemp(join(tmpdir(), 'trainyard-remote-'));
  const a = await tinyProject(`remote: ${shared}\n`);
  // The second workspace names the remote in the user config file instead of the pipeline.
  const b = await tinyProject();
  const config = await mkdtemp(join(tmpdir(), 'trainyard-xdg-'));
  mkdirSync(join(config, 'trainyard'));
  writeFileSync(join(config, 'trainyard', 'config.yaml'), `remote: { url: "${shared}" }\n`);
  const env = { XDG_CONFIG_HOME: config };
  const first = cli(['run', '--json'], a);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(ended(first.stdout, 'done'), STAGES);
  assert.equal(events(first.stdout).filter((e) => e.event === 'stageLog' && /pushed to the remote cache/.test(e.message)).length, 5);
  assert.equal(readdirSync(join(shared, 'entries')).length > 0, true);

  const second = cli(['run', '--json'], b, env);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(ended(second.stdout, 'done'), [], 'nothing recomputed');
  assert.deepEqual(ended(second.stdout, 'cached'), STAGES);
  assert.equal(events(second.stdout).filter((e) => e.event === 'stageLog' && /pulled from the remote cache/.test(e.message)).length, 5);
  assert.deepEqual(readFileSync(join(modelOf(second.stdout), 'model.safetensors')), readFileSync(join(modelOf(first.stdout), 'model.safetensors')));
  const third = cli(['run', '--json'], b, env);
  assert.equal(events(third.stdout).filter((e) => e.event === 'stageLog' && /pulled/.test(e.message)).length, 0, 'now local');
});

test('push and pull commands, --remote, TRAINYARD_REMOTE=none, and a damaged remote entry (refused, recomputed, repaired)', { timeout: 120_000 }, async () => {
  const shared = await mkdtemp(join(tmpdir(), 'trainyard-remote-'));
  const a = await tinyProject();
  assert.equal(cli(['run', '--plain'], a).code, 0);
  const none = cli(['push'], a);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /E_USAGE\s+trainyard push needs a remote cache/);
  const push = cli(['push', '--remote', shared], a);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /pretrain\s+pushed \(\d+ new files?, [\d.]+ kB\)/);
  assert.match(push.stdout, /5 of 5 stage\(s\) pushed/);
  assert.match(cli(['push', '--remote', shared], a).stdout, /pretrain\s+already in the remote/);

  const b = await tinyProject(`remote: ${shared}\n`);
  const off = cli(['run', 'raw', '--json'], b, { TRAINYARD_REMOTE: 'none' });
  assert.deepEqual(ended(off.stdout, 'done'), ['raw'], 'TRAINYARD_REMOTE=none: computed here');

  // Damage the tokens blob in the remote: pull says so, and run computes tokenize instead.
  const tokens = JSON.parse(cli(['show', 'tokenize', '--json'], a).stdout).artifacts[0];
  const bin = JSON.parse(readFileSync(join(shared, 'entries', tokens.key.slice(0, 2), `${tokens.key}.json`), 'utf8')).outputs.tokens.files.find((f: any) => f.path === 'train.bin');
  const blob = join(shared, 'blobs', bin.sha256.slice(0, 2), bin.sha256);
  const good = readFileSync(blob);
  const bad = Buffer.from(good); bad[0] = bad[0]! ^ 1;
  writeFileSync(blob, bad);
  const pull = cli(['pull', '--json'], b);
  assert.equal(pull.code, 0, pull.stderr);
  const rows = Object.fromEntries(JSON.parse(pull.stdout).stages.map((r: any) => [r.name, r]));
  assert.equal(rows.raw.status, 'local');
  assert.equal(rows.split.status, 'pulled');
  assert.equal(rows.tokenize.status, 'corrupt');
  assert.match(rows.tokenize.detail, /tokens\/train\.bin does not match its recorded size and sha256/);
  assert.equal(rows.pretrain.status, 'blocked');
  const run = cli(['run', '--json'], b);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(ended(run.stdout, 'done'), ['tokenize']);
  assert.ok(events(run.stdout).some((e) => e.event === 'stageLog' && e.name === 'tokenize' && /remote cache's entry is unusable/.test(e.message)));
  assert.deepEqual(ended(run.stdout, 'cached'), ['eval', 'pretrain', 'raw', 'split'], 'the recomputed tokens match, so the rest is pulled');
  assert.ok(events(run.stdout).some((e) => e.event === 'stageLog' && e.name === 'tokenize' && /pushed to the remote cache/.test(e.message)), 'the damaged entry is repaired');
  assert.deepEqual(readFileSync(blob), good);
  const c = await tinyProject(`remote: ${shared}\n`);
  const all = JSON.parse(cli(['pull', '--json'], c).stdout).stages.map((r: any) => r.status);
  assert.deepEqual(all, ['pulled', 'pulled', 'pulled', 'pulled', 'pulled']);
});

test('remote: settings are schema-checked with positions; a bad user config file is named', async () => {
  const dir = await tinyProject('remote: { url: /x, pul: true }\n');
  const r = cli(['validate'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pipeline\.yaml:\d+:\d+\s+error\s+E_UNKNOWN_KEY\s+Unknown key "pul" in remote\. Did you mean "pull"\?/);
  const config = await mkdtemp(join(tmpdir(), 'trainyard-xdg-'));
  mkdirSync(join(config, 'trainyard'));
  writeFileSync(join(config, 'trainyard', 'config.yaml'), 'remote: [1, 2]\n');
  const ok = await tinyProject();
  const u = cli(['pull'], ok, { XDG_CONFIG_HOME: config });
  assert.equal(u.code, 2);
  assert.match(u.stderr, /E_SCHEMA\s+.*trainyard\/config\.yaml has a "remote" that is neither a URL nor/);
});
