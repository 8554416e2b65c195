/**
 * End to end: run, cache hits, explain-then-rerun of exactly the changed stage and its
 * downstream, run cache, vars/foreach/--set, failures and keep-going.
 *
 *   a ──▶ b ──▶ c          (d is independent)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_PLUGIN, cli, ended, project } from '../helpers/cli.js';

const pipeline = (text: string, extra = '') => `
name: chain
plugins: [${TEST_PLUGIN}]
vars: { greeting: ${text} }
stages:
  a: { type: emit, with: { text: "\${vars.greeting}", counter: ./ran.txt } }
  b: { type: upper, inputs: { docs: a }, with: { counter: ./ran.txt } }
  c: { type: upper, inputs: { docs: b }, with: { counter: ./ran.txt } }
  d: { type: emit, with: { text: other, counter: ./ran.txt ${extra} } }
`;
const ran = (dir: string) => readFileSync(join(dir, 'ran.txt'), 'utf8').trim().split('\n').sort();

test('second run is all cached; an edit re-runs exactly that stage and its downstream; status said so', async () => {
  const dir = await project(pipeline('hello'));
  const first = cli(['run', '--json'], dir);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(ended(first.stdout, 'done'), ['a', 'b', 'c', 'd']);

  const t = Date.now();
  const second = cli(['run', '--json'], dir);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(ended(second.stdout, 'cached'), ['a', 'b', 'c', 'd']);
  assert.ok(Date.now() - t < 5000);

  writeFileSync(join(dir, 'pipeline.yaml'), pipeline('howdy'));
  const status = cli(['status'], dir);
  assert.equal(status.code, 0);
  assert.match(status.stdout, /a\s+will run\s+with\.text hello → howdy/);
  assert.match(status.stdout, /b\s+will run.*upstream a will run/);
  assert.match(status.stdout, /d\s+cached/);

  writeFileSync(join(dir, 'ran.txt'), '');
  const third = cli(['run', '--json'], dir);
  assert.deepEqual(ended(third.stdout, 'done'), ['a', 'b', 'c']);
  assert.deepEqual(ended(third.stdout, 'cached'), ['d']);
  assert.deepEqual(ran(dir), ['a', 'b', 'c']);
  assert.match(readFileSync(join(dir, 'pipeline.lock'), 'utf8'), /text: howdy/);

  // Back to the old value: restored from the run cache, nothing runs.
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline('hello'));
  assert.match(cli(['status'], dir).stdout, /a\s+cached\s+restored from the run cache \(with\.text howdy → hello\)/);
  writeFileSync(join(dir, 'ran.txt'), '');
  const fourth = cli(['run', '--json'], dir);
  assert.deepEqual(ended(fourth.stdout, 'cached'), ['a', 'b', 'c', 'd']);
  assert.equal(readFileSync(join(dir, 'ran.txt'), 'utf8'), '');
});

test('targets, --from, --only, --force, --dry-run', async () => {
  const dir = await project(pipeline('hi'));
  const r = cli(['run', 'b', '--json'], dir);
  assert.deepEqual(ended(r.stdout, 'done'), ['a', 'b']);
  const dry = cli(['run', '--dry-run'], dir);
  assert.match(dry.stdout, /c\s+will run\s+never ran/);
  assert.equal(ended(cli(['run', '--from', 'b', '--json'], dir).stdout, 'done').join(), 'c');
  const only = cli(['run', 'b', '--only', '--force', '--json'], dir);
  assert.deepEqual(ended(only.stdout, 'done'), ['b']);
  assert.deepEqual(ended(only.stdout, 'cached'), ['a']);
  const bad = cli(['run', 'bb'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /E_UNKNOWN_TARGET.*"bb".*Did you mean "b"\?/);
});

test('a failure skips dependents and names them; --keep-going runs unaffected branches', async () => {
  const dir = await project(pipeline('x').replace('b: { type: upper, inputs: { docs: a }, with: { counter: ./ran.txt } }', 'b: { type: upper, inputs: { docs: a }, with: { fail: true } }'));
  const r = cli(['run', '--json', '-j', '1'], dir);
  assert.equal(r.code, 1);
  assert.deepEqual(ended(r.stdout, 'failed'), ['b']);
  const evs = r.stdout.split('\n').filter((l) => l.includes('"skipped"')).join('\n');
  assert.match(evs, /"name":"c".*upstream b failed/);
  const k = cli(['run', '--json', '--keep-going', '-j', '1'], dir);
  assert.equal(k.code, 1);
  assert.ok(ended(k.stdout, 'done').includes('d') || ended(k.stdout, 'cached').includes('d'));
  const plain = cli(['run', '--plain', '-j', '1'], dir);
  assert.match(plain.stdout, /b failed: E_INTERNAL b failed on purpose/);
  assert.match(plain.stdout, /c skipped: upstream b failed/);
});

test('foreach stamps stages, --set overrides values', async () => {
  const dir = await project(`
plugins: [${TEST_PLUGIN}]
stages:
  gen:
    foreach: [red, green]
    do: { type: emit, with: { text: "color \${item}" } }
  all: { type: upper, inputs: { docs: [gen@red, gen@green] } }
`);
  const r = cli(['run', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ended(r.stdout, 'done'), ['all', 'gen@green', 'gen@red']);
  const s = cli(['status', '--set', 'stages.gen.do.with.text=plain'], dir);
  assert.match(s.stdout, /gen@red\s+will run\s+with\.text color red → plain/);
  const g = cli(['graph', '--format', 'mermaid'], dir);
  assert.match(g.stdout, /gen_red -->\|docs\| all/);
});
