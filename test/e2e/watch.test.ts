/**
 * `trainyard run --watch --json` end to end in a temp project (fixture plugin): the first run,
 * an edit re-runs exactly the changed stage, broken YAML prints a positioned error and
 * watching goes on, a fix runs again; SIGTERM stops it cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_PLUGIN, cliAsync, project } from '../helpers/cli.js';

const yaml = (text: string, extra = '') => `name: watched
plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit, with: { text: ${text} } }
  b: { type: upper, inputs: { docs: a } }
  c: { type: emit, with: { text: other${extra} } }
`;

type Ev = Record<string, any>;

function follow(child: ReturnType<typeof cliAsync>) {
  const evs: Ev[] = [];
  let buf = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) evs.push(JSON.parse(line));
    }
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  /** Waits until `n` events named `event` have arrived; returns the events since `from`. */
  const until = (event: string, n: number, ms = 30_000) => new Promise<Ev[]>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${n}× ${event}; events: ${JSON.stringify(evs.map((e) => e.event + (e.name ? `:${e.name}` : '')))}; stderr: ${stderr}`)), ms);
    const check = () => {
      if (evs.filter((e) => e.event === event).length >= n) { clearTimeout(t); resolve(evs); } else waiters.push(check);
    };
    check();
  });
  return { evs, until, stderr: () => stderr };
}

const between = (evs: Ev[], from: number, to: number) => {
  const idx = evs.map((e, i) => (e.event === 'watching' ? i : -1)).filter((i) => i >= 0);
  return evs.slice(from === 0 ? 0 : idx[from - 1]! + 1, idx[to - 1]! + 1);
};
const done = (evs: Ev[]) => evs.filter((e) => e.event === 'stageEnd' && e.status === 'done').map((e) => e.name).sort();
const cached = (evs: Ev[]) => evs.filter((e) => e.event === 'stageCached').map((e) => e.name).sort();

test('run --watch --json: edits re-run exactly the changed stage; broken YAML is positioned and watching goes on', { timeout: 90_000 }, async () => {
  const dir = await project(yaml('one'));
  const file = join(dir, 'pipeline.yaml');
  const child = cliAsync(['run', '--watch', '--json'], dir);
  const out = follow(child);
  try {
    let evs = await out.until('watching', 1);
    assert.deepEqual(done(between(evs, 0, 1)), ['a', 'b', 'c']);
    assert.deepEqual([...evs.find((e) => e.event === 'watching')!.files].sort(), ['pipeline.yaml', TEST_PLUGIN].sort());

    writeFileSync(file, yaml('one', ', sleep_ms: 10'));
    evs = await out.until('watching', 2);
    assert.deepEqual(between(evs, 1, 2).find((e) => e.event === 'watchChange')?.files, ['pipeline.yaml']);
    assert.deepEqual(done(between(evs, 1, 2)), ['c'], 'only the edited stage ran');
    assert.deepEqual(cached(between(evs, 1, 2)), ['a', 'b']);

    writeFileSync(file, yaml('one').replace('  b: { type: upper, inputs: { docs: a } }', '  b: { type: upper, inputs: { docs: a }\n    oops: [1, 2'));
    evs = await out.until('watchError', 1);
    const err = evs.find((e) => e.event === 'watchError')!.errors[0];
    assert.equal(err.code, 'E_YAML');
    assert.match(err.file, /pipeline\.yaml$/);
    assert.equal(typeof err.loc.line, 'number');
    assert.match(err.frame, new RegExp(`> ${err.loc.line} \\|`));
    await out.until('watching', 3);
    assert.equal(child.exitCode, null, 'still watching');

    writeFileSync(file, yaml('two', ', sleep_ms: 10'));
    evs = await out.until('watching', 4);
    assert.deepEqual(done(between(evs, 3, 4)), ['a', 'b'], 'the fix runs a and its downstream');
    assert.deepEqual(cached(between(evs, 3, 4)), ['c']);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 0, out.stderr());
});

test('run --watch: a new file matching a source glob re-runs the source and its downstream; edits to it too', { timeout: 90_000 }, async () => {
  const dir = await project(`plugins: [${TEST_PLUGIN}]
stages:
  raw: { type: source, with: { files: "data/*.txt" } }
  up: { type: upper, inputs: { docs: raw } }
  other: { type: emit, with: { text: x } }
`);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.txt'), 'first file');
  const child = cliAsync(['run', '--watch', '--json'], dir);
  const out = follow(child);
  try {
    let evs = await out.until('watching', 1);
    assert.deepEqual(done(between(evs, 0, 1)), ['other', 'raw', 'up']);
    writeFileSync(join(dir, 'data', 'b.txt'), 'a second file appears');
    evs = await out.until('watching', 2);
    assert.deepEqual(done(between(evs, 1, 2)), ['raw', 'up']);
    assert.deepEqual(cached(between(evs, 1, 2)), ['other']);
    writeFileSync(join(dir, 'data', 'a.txt'), 'first file, edited');
    evs = await out.until('watching', 3);
    assert.deepEqual(done(between(evs, 2, 3)), ['raw', 'up']);
  } finally {
    child.kill('SIGTERM');
  }
  await new Promise((r) => child.once('exit', r));
});
