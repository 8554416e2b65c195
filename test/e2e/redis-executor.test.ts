/**
 * The BullMQ executor against a real redis-server (started here on a free loopback port):
 * `trainyard worker`s as separate processes, each with its own store, share a folder remote
 * with the submitting run.
 *
 *   run --executor redis://…   a (waits on a file) ─▶ b ─▶ g (resources: { gpus: 1 })
 *   worker --tags gpu   #1     takes a, is SIGKILLed mid-stage
 *   worker (no tags)           finishes a once the lock lapses, then b; never takes g
 *   worker --tags gpu   #2     started later: takes g
 *
 * Then: nothing ran twice but the killed stage, a fresh `status` has everything cached, and
 * a stage whose process dies once is retried after its backoff while one that fails on its
 * own is not. Short job locks (--lock-ms) and backoff (TRAINYARD_QUEUE_BACKOFF_MS) keep it fast.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_PLUGIN, cli, cliAsync, events, project } from '../helpers/cli.js';
import { redisServerMissing, startRedis, type RedisServer } from '../helpers/redis.js';

const missing = redisServerMissing();
if (missing) console.log(`# ${missing}`);

/** A child's output as lines, each with the time it arrived. */
interface Proc { child: ChildProcess; lines: Array<{ at: number; text: string }>; stderr: string; exited: Promise<number | null> }

function start(args: string[], cwd: string, env: Record<string, string> = {}): Proc {
  const child = cliAsync(args, cwd, env);
  const p: Proc = { child, lines: [], stderr: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  let rest = '';
  child.stdout!.on('data', (d) => {
    const parts = (rest + String(d)).split('\n');
    rest = parts.pop()!;
    for (const text of parts) p.lines.push({ at: Date.now(), text });
  });
  child.stderr!.on('data', (d) => { p.stderr += String(d); });
  return p;
}

const json = (p: Proc) => p.lines.filter((l) => l.text.startsWith('{')).map((l) => ({ at: l.at, ...JSON.parse(l.text) }));
const text = (p: Proc) => p.lines.map((l) => l.text).join('\n');

async function until(what: string, ok: () => boolean, procs: Proc[], timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${procs.map((p) => `--- ${p.child.spawnargs.slice(3).join(' ')}\n${text(p)}\n${p.stderr}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const workerArgs = (url: string, tags?: string) => ['worker', '--queue', url, '--json', '--lock-ms', '1000', ...(tags ? ['--tags', tags] : [])];
const stageStarts = (p: Proc, stage: string) => json(p).filter((e) => e.event === 'start' && e.stage === stage);

describe('redis executor with two worker processes', { skip: missing, timeout: 90_000 }, () => {
  let redis: RedisServer;
  const procs: Proc[] = [];
  let shared: string;
  let plain: Proc;
  let gpu2: Proc;

  before(async () => {
    redis = await startRedis();
    shared = await mkdtemp(join(tmpdir(), 'trainyard-queue-remote-'));
  });
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await redis?.stop();
  });

  const worker = async (tags?: string): Promise<Proc> => {
    const w = start(workerArgs(redis.url, tags), await mkdtemp(join(tmpdir(), 'trainyard-worker-')));
    procs.push(w);
    return w;
  };

  test('a killed worker\'s stage is finished by another, GPU stages wait for a GPU worker, nothing runs twice, the store is consistent', async () => {
    const dir = await project('');
    const counter = join(dir, 'ran.txt');
    const hold = join(dir, 'release-a');
    writeFileSync(join(dir, 'pipeline.yaml'), `
plugins: [${TEST_PLUGIN}]
remote: ${shared}
stages:
  a: { type: emit, with: { counter: ${counter}, hold: ${hold} } }
  b: { type: upper, inputs: { docs: a }, with: { counter: ${counter} } }
  g: { type: upper, inputs: { docs: b }, with: { counter: ${counter} }, resources: { gpus: 1 } }
`);
    const gpu1 = await worker('gpu');
    const run = start(['run', '--executor', redis.url, '--json'], dir);
    procs.push(run);
    await until('worker 1 to start stage a', () => stageStarts(gpu1, 'a').length === 1, [gpu1, run]);
    plain = await worker();
    await until('the plain worker to be ready', () => json(plain).some((e) => e.event === 'ready'), [plain]);
    assert.deepEqual(json(plain).find((e) => e.event === 'ready').queues, ['trainyard']);
    gpu1.child.kill('SIGKILL');
    await gpu1.exited;
    writeFileSync(hold, '');

    await until('the plain worker to finish a and b', () => ['a', 'b'].every((s) => json(plain).some((e) => e.event === 'done' && e.stage === s)), [plain, run]);
    await until('g to be queued for a GPU worker', () => events(text(run)).some((e) => e.event === 'stageLog' && e.name === 'g' && /needs a worker with --tags gpu/.test(e.message)), [run]);
    await new Promise((r) => setTimeout(r, 1500)); // the idle plain worker would have taken g by now
    assert.deepEqual(stageStarts(plain, 'g'), [], 'a worker without the gpu tag never takes a GPU stage');
    gpu2 = await worker('gpu');
    const code = await run.exited;
    assert.equal(code, 0, run.stderr);
    assert.equal(stageStarts(gpu2, 'g').length, 1);

    const evs = events(text(run));
    assert.deepEqual(evs.filter((e) => e.event === 'stageEnd' && e.status === 'done').map((e) => e.name).sort(), ['a', 'b', 'g']);
    assert.ok(evs.some((e) => e.event === 'stageLog' && e.name === 'a' && /stopped answering.*back on the queue/.test(e.message)), 'the run says the stage was re-queued');
    assert.ok(evs.some((e) => e.event === 'stageLog' && e.name === 'g' && new RegExp(`running on worker .*:${gpu2.child.pid}`).test(e.message)), 'worker logs reach the run');
    // Executions: the killed one and its re-run for a, one each for the rest.
    assert.deepEqual(readFileSync(counter, 'utf8').trim().split('\n').sort(), ['a', 'a', 'b', 'g']);

    const status = cli(['status', '--json'], dir);
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(JSON.parse(status.stdout).stages.map((r: { name: string; willRun: boolean }) => [r.name, r.willRun]), [['a', false], ['b', false], ['g', false]], 'everything cached here');
    // A second workspace on the same remote pulls every stage and queues nothing.
    const other = await project(readFileSync(join(dir, 'pipeline.yaml'), 'utf8'));
    const again = cli(['run', '--executor', redis.url, '--json'], other);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(events(again.stdout).filter((e) => e.event === 'stageCached').map((e) => e.name).sort(), ['a', 'b', 'g']);
    assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 4, 'nothing computed again');
  });

  test('a stage whose process dies once is retried after its backoff; one that fails on its own is not', { skip: missing }, async () => {
    assert.ok(plain && gpu2, 'the workers of the test above');
    const dir = await project('');
    const counter = join(dir, 'ran.txt');
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'pipeline.yaml'), `
plugins: [${TEST_PLUGIN}]
remote: ${shared}
stages:
  flaky: { type: emit, with: { text: flaky, counter: ${counter}, crash_once: ${join(dir, 'm', 'crashed')} } }
  bad: { type: emit, with: { text: bad, counter: ${counter}, fail: true } }
`);
    const run = start(['run', '--executor', redis.url, '--json', '--keep-going'], dir, { TRAINYARD_QUEUE_BACKOFF_MS: '700' });
    procs.push(run);
    const code = await run.exited;
    assert.equal(code, 1, `one stage failed:\n${text(run)}\n${run.stderr}`);
    const evs = events(text(run));
    const end = (n: string) => evs.find((e) => e.event === 'stageEnd' && e.name === n)!;
    assert.equal(end('flaky').status, 'done');
    assert.equal(end('bad').status, 'failed');
    assert.match(end('bad').error.message, /bad failed on purpose/, 'the stage\'s own error reaches the run');
    assert.ok(evs.some((e) => e.event === 'stageLog' && e.name === 'flaky' && e.level === 'warn' && /attempt 1 of 3 failed on worker .*E_STAGE_CRASHED.*retrying in 0\.7 s/.test(e.message)), text(run));
    assert.deepEqual(readFileSync(counter, 'utf8').trim().split('\n').sort(), ['bad', 'flaky', 'flaky'], 'the crash is retried once, the failure never');
    const reports = [...json(plain), ...json(gpu2)].filter((e) => e.stage === 'flaky');
    const failed = reports.find((e) => e.event === 'failed')!;
    assert.equal(failed.retry, true);
    assert.equal(failed.retryInMs, 700);
    const retried = reports.find((e) => e.event === 'start' && e.attempt === 2)!;
    assert.ok(retried.at - failed.at >= 600, `attempt 2 came ${retried.at - failed.at} ms after the crash (backoff 700 ms)`);
    const badFail = [...json(plain), ...json(gpu2)].find((e) => e.event === 'failed' && e.stage === 'bad')!;
    assert.equal(badFail.retry, false);
  });
});
