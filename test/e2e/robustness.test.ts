/**
 * Crashes and concurrency: SIGKILL of the whole run mid-stage, a stage worker that dies,
 * a corrupt cache entry, two runs at once on one project, and gc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_PLUGIN, cli, cliAsync, collectOutput, ended, project, waitForOutput } from '../helpers/cli.js';

const slow = (ms: number, extra = '') => `
plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit, with: { text: one, counter: ./ran.txt } }
  b: { type: upper, inputs: { docs: a }, with: { sleep_ms: ${ms}, counter: ./ran.txt ${extra} } }
  c: { type: upper, inputs: { docs: b }, with: { counter: ./ran.txt } }
`;

function storeEntries(dir: string): string[] {
  const root = join(dir, '.trainyard', 'store');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((p) => readdirSync(join(root, p)).map((k) => join(root, p, k)));
}

test('a run killed with SIGKILL mid-stage leaves no corrupt hit and loses nothing finished', async () => {
  const dir = await project(slow(4000));
  const child = cliAsync(['run', '--json'], dir);
  const output = collectOutput(child);
  await waitForOutput(output, '"stageStart","name":"b"');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  for (const e of storeEntries(dir)) assert.ok(existsSync(join(e, '.commit')), 'only committed entries in the store');
  const tmp = join(dir, '.trainyard', 'tmp');
  assert.ok(readdirSync(tmp).some((n) => n.includes(`-${child.pid}-`)), 'the killed run left its staging folder');
  const again = cli(['run', '--json'], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(ended(again.stdout, 'cached'), ['a'], 'a survived the kill');
  assert.deepEqual(ended(again.stdout, 'done'), ['b', 'c']);
  assert.deepEqual(readdirSync(tmp), [], 'the next run removed what the killed run left in .trainyard/tmp');
});

test('a stage worker that dies fails that stage with its reason; the runner carries on', async () => {
  const dir = await project(slow(0, ', crash: true'));
  const r = cli(['run', '--plain'], dir);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /b failed: E_STAGE_CRASHED stage worker died \(SIGKILL\)/);
  assert.match(r.stdout, /c skipped: upstream b failed/);
});

test('a corrupt cache entry is a warning and a miss, never a wrong hit', async () => {
  const dir = await project(slow(0));
  assert.equal(cli(['run'], dir).code, 0);
  const lock = readFileSync(join(dir, 'pipeline.lock'), 'utf8');
  const keyB = /\n {2}b:\n(?:.*\n)*? {4}key: ([0-9a-f]{64})/.exec(lock)![1]!;
  const shard = join(dir, '.trainyard', 'store', keyB.slice(0, 2), keyB, 'outputs', 'docs', 'all-00000.jsonl');
  writeFileSync(shard, readFileSync(shard, 'utf8').replace('ONE', 'TWO'));
  const r = cli(['run', '--plain'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /b warn cached result was corrupt \(docs\/all-00000\.jsonl content changed\)/);
  assert.match(r.stdout, /✔ b done/);
  assert.match(r.stdout, /✓ c cached/, 'same content again, so c is still a hit');
});

test('two runs at once on one project: each stage runs once, both succeed, store stays consistent', async () => {
  const dir = await project(slow(1500));
  const runs = [cliAsync(['run', '--json'], dir), cliAsync(['run', '--json'], dir)];
  const codes = await Promise.all(runs.map((c) => new Promise<number | null>((r) => c.once('exit', r))));
  assert.deepEqual(codes, [0, 0]);
  const ran = readFileSync(join(dir, 'ran.txt'), 'utf8').trim().split('\n').sort();
  assert.deepEqual(ran, ['a', 'b', 'c'], 'each stage computed once across both runs');
  for (const e of storeEntries(dir)) assert.ok(existsSync(join(e, '.commit')));
  assert.deepEqual(ended(cli(['run', '--json'], dir).stdout, 'cached'), ['a', 'b', 'c']);
});

test('gc removes what no lock file or recent run references', async () => {
  const dir = await project(slow(0));
  assert.equal(cli(['run'], dir).code, 0);
  writeFileSync(join(dir, 'pipeline.yaml'), slow(0).replace('text: one', 'text: two'));
  assert.equal(cli(['run'], dir).code, 0);
  assert.equal(storeEntries(dir).length, 6);
  const dry = cli(['gc', '--dry-run', '--keep-days', '0'], dir);
  assert.match(dry.stdout, /would remove .*store/);
  assert.equal(storeEntries(dir).length, 6, 'dry run removes nothing');
  const kept = cli(['gc'], dir);
  assert.match(kept.stdout, /kept 6/, 'recent runs are kept by default');
  const gc = cli(['gc', '--keep-days', '0'], dir);
  assert.equal(gc.code, 0);
  assert.equal(storeEntries(dir).length, 3);
  assert.deepEqual(ended(cli(['run', '--json'], dir).stdout, 'cached'), ['a', 'b', 'c']);
});

test('Ctrl-C (SIGINT) cancels gracefully: exit 130, the stage is told to stop, nothing half-written is cached', async () => {
  const dir = await project(slow(20000));
  const child = cliAsync(['run', '--plain'], dir);
  const output = collectOutput(child);
  await waitForOutput(output, 'b (upper) running');
  const t0 = Date.now();
  child.kill('SIGINT');
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 130);
  assert.ok(Date.now() - t0 < 10000, 'stopped promptly, not after the 20 s sleep');
  assert.match(output.text, /b cancelled: cancelled/);
  assert.doesNotMatch(output.text, /b failed/);
  assert.match(output.text, /cancelled · 1 ran · 0 cached · 1 cancelled · 1 skipped/);
  assert.match(output.text, /c skipped: upstream b was cancelled/);
  for (const e of storeEntries(dir)) assert.ok(existsSync(join(e, '.commit')));
  const status = cli(['status'], dir);
  assert.match(status.stdout, /a\s+cached/);
  assert.match(status.stdout, /b\s+will run/);
});
