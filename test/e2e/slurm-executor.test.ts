/**
 * The Slurm executor against a real single-node Slurm (started here: munged, slurmctld,
 * slurmd from a temp config, test/helpers/slurm.ts): a 3-stage pipeline runs as three
 * sbatch jobs (each `trainyard worker --once` with its own store, results through a folder
 * remote), a stage that fails in its job reports its own error, and a fresh `status` has
 * everything cached; Ctrl-C on a run scancels its job. Skipped, saying why, without the Slurm binaries or root.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { TEST_PLUGIN, cli, cliAsync, collectOutput, events, project, waitForOutput } from '../helpers/cli.js';
import { slurmMissing, startSlurm, type SlurmCluster } from '../helpers/slurm.js';

const missing = slurmMissing();
if (missing) console.log(`# ${missing}`);

describe('slurm executor on a single-node cluster', { skip: missing, timeout: 120_000 }, () => {
  let slurm: SlurmCluster;
  before(async () => {
    slurm = await startSlurm();
    console.log(`# Slurm set-up (munged, slurmctld, slurmd up, node idle): ${slurm.setupMs} ms`);
  });
  after(async () => { await slurm?.stop(); });

  test('three stages run as sbatch jobs; a failing one reports its own error; everything is cached after', async () => {
    const remote = mkdtempSync(join(tmpdir(), 'trainyard-slurm-remote-'));
    const dir = await project('');
    const counter = join(dir, 'ran.txt');
    const yaml = `
plugins: [${TEST_PLUGIN}]
remote: ${remote}
stages:
  a: { type: emit, with: { counter: ${counter} } }
  b: { type: upper, inputs: { docs: a }, with: { counter: ${counter} }, resources: { cpus: 1, memory: 200M, time: "0:05:00" } }
  c: { type: upper, inputs: { docs: b }, with: { counter: ${counter} } }
  bad: { type: emit, with: { text: bad, fail: true } }
`;
    writeFileSync(join(dir, 'pipeline.yaml'), yaml);
    const env = { ...slurm.env, TRAINYARD_SLURM_POLL_MS: '300', TMPDIR: mkdtempSync(join(tmpdir(), 'trainyard-slurm-node-')) };
    const r = cli(['run', '--executor', 'slurm:debug', '--json', '--keep-going'], dir, env);
    assert.equal(r.code, 1, `bad fails:\n${r.stdout}\n${r.stderr}`);
    const evs = events(r.stdout);
    const end = (n: string) => evs.find((e) => e.event === 'stageEnd' && e.name === n)!;
    assert.deepEqual(['a', 'b', 'c'].map((n) => end(n).status), ['done', 'done', 'done'], JSON.stringify(['a', 'b', 'c'].map((n) => end(n).error)));
    for (const n of ['a', 'b', 'c', 'bad']) assert.ok(evs.some((e) => e.event === 'stageLog' && e.name === n && /^submitted as Slurm job \d+ on partition debug/.test(e.message)), n);
    assert.equal(end('bad').status, 'failed');
    assert.match(end('bad').error.message, /bad failed on purpose/, 'the stage\'s own error, read from the job log');
    assert.deepEqual(readFileSync(counter, 'utf8').trim().split('\n'), ['a', 'b', 'c'], 'each ran once, in order');
    assert.equal(readdirSync(join(dir, '.trainyard', 'slurm')).filter((f) => f.endsWith('.log')).length, 4, 'one log per job');
    const docs = end('c').outputs.docs as string;
    assert.equal(JSON.parse(readFileSync(join(docs, readdirSync(docs).find((f) => f.endsWith('.jsonl'))!), 'utf8').split('\n')[0]!).text, 'HELLO');

    const status = cli(['status', '--json', 'c'], dir);
    assert.deepEqual(JSON.parse(status.stdout).stages.map((s: { name: string; willRun: boolean }) => [s.name, s.willRun]), [['a', false], ['b', false], ['c', false]]);
  });

  test('Ctrl-C on the run scancels its job', async () => {
    const remote = mkdtempSync(join(tmpdir(), 'trainyard-slurm-remote-'));
    const dir = await project('');
    writeFileSync(join(dir, 'pipeline.yaml'), `
plugins: [${TEST_PLUGIN}]
remote: ${remote}
stages:
  slow: { type: emit, with: { hold: ${join(dir, 'never')} } }
`);
    const child = cliAsync(['run', '--executor', 'slurm', '--json'], dir, { ...slurm.env, TRAINYARD_SLURM_POLL_MS: '300' });
    const out = collectOutput(child);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitForOutput(out, 'is running', 60_000);
    const id = /submitted as Slurm job (\d+)/.exec(out.text)![1]!;
    child.kill('SIGINT');
    assert.equal(await exited, 130, out.text);
    assert.equal(events(out.text).find((e) => e.event === 'stageEnd')!.status, 'cancelled');
    const state = () => spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8', env: { ...process.env, ...slurm.env } }).stdout;
    const t0 = Date.now();
    while (!/JobState=CANCELLED/.test(state()) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 200));
    assert.match(state(), /JobState=CANCELLED/);
  });
});
