/**
 * The scheduler over a fake pool: stages are promises the test resolves by hand, so each test
 * controls exactly when a stage ends and checks what started, what was skipped and why.
 *
 *   a ──▶ b ──▶ d
 *   └───▶ c          e (independent)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedule, type ScheduleOptions, type ScheduledOutcome, type StageOutcome } from '../../../src/runner/scheduler.js';

/** A wrong scheduler tends to hang (a stage never started, a promise never settled): fail fast. */
const LIMIT = { timeout: 5000 };

const GRAPH: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b'], e: [] };

/** A pool whose stages end when the test says so (or at once, per `auto`). */
class FakePool {
  readonly started: string[] = [];
  readonly ended: string[] = [];
  readonly skipped = new Map<string, string>();
  inFlight = 0;
  maxInFlight = 0;
  private readonly waiting = new Map<string, (o: StageOutcome) => void>();
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly auto: Record<string, StageOutcome> = {}) {}

  readonly runStage: ScheduleOptions['runStage'] = async (name, inFlight) => {
    this.started.push(name);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    assert.equal(inFlight(), this.inFlight, 'inFlight() counts the running stages, this one included');
    this.poke();
    const outcome = name in this.auto ? await Promise.resolve(this.auto[name]!) : await new Promise<StageOutcome>((r) => this.waiting.set(name, r));
    this.inFlight -= 1;
    this.ended.push(name);
    return outcome;
  };

  readonly onSkip = (name: string, why: string) => { this.skipped.set(name, why); };

  /** Ends a running stage. */
  end(name: string, outcome: StageOutcome = 'ok'): void {
    const r = this.waiting.get(name);
    assert.ok(r, `${name} is not running (started: ${this.started.join(', ')})`);
    this.waiting.delete(name);
    r(outcome);
  }

  running(): string[] { return [...this.waiting.keys()].sort(); }

  /** Settles once `cond` holds (checked whenever a stage starts, and after each tick). */
  async until(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise<void>((r) => { this.listeners.push(r); setImmediate(r); });
    assert.ok(cond(), `condition never held; started: ${this.started.join(', ')}`);
  }

  private poke(): void { for (const l of this.listeners.splice(0)) l(); }
}

function run(pool: FakePool, over: Partial<ScheduleOptions> = {}, graph = GRAPH): Promise<Map<string, ScheduledOutcome>> {
  return schedule({ stages: Object.keys(graph), upstream: (n) => graph[n]!, jobs: 4, keepGoing: false, runStage: pool.runStage, onSkip: pool.onSkip, ...over });
}

test('a stage starts only after its upstream stages ended; independent branches run concurrently', LIMIT, async () => {
  const pool = new FakePool();
  const done = run(pool);
  await pool.until(() => pool.running().length === 2);
  assert.deepEqual(pool.running(), ['a', 'e'], 'the two roots start together; nothing downstream of a yet');
  pool.end('a');
  await pool.until(() => pool.running().length === 3);
  assert.deepEqual(pool.running(), ['b', 'c', 'e'], 'both children of a start once a is done, alongside e');
  pool.end('b');
  await pool.until(() => pool.started.includes('d'));
  for (const n of ['c', 'd', 'e']) pool.end(n);
  const outcomes = await done;
  assert.deepEqual(Object.fromEntries(outcomes), { a: 'ok', b: 'ok', c: 'ok', d: 'ok', e: 'ok' });
  assert.ok(pool.started.indexOf('d') > pool.ended.indexOf('b'), 'd started after b ended');
  assert.equal(pool.skipped.size, 0);
});

test('order respects dependencies on a long chain with a fan-out, all ending at once', LIMIT, async () => {
  const graph: Record<string, string[]> = { s0: [] };
  for (let i = 1; i < 40; i++) graph[`s${i}`] = [`s${Math.floor((i - 1) / 2)}`];
  const pool = new FakePool(Object.fromEntries(Object.keys(graph).map((n) => [n, 'ok' as const])));
  const outcomes = await run(pool, { jobs: 3 }, graph);
  assert.equal(outcomes.size, 40);
  for (const [name, ups] of Object.entries(graph)) {
    for (const u of ups) assert.ok(pool.ended.indexOf(u) < pool.started.indexOf(name), `${u} ended before ${name} started`);
  }
  assert.ok(pool.maxInFlight <= 3);
});

test('the concurrency limit is never exceeded, and is used', LIMIT, async () => {
  const graph = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i}`, [] as string[]]));
  const pool = new FakePool();
  const done = run(pool, { jobs: 3 }, graph);
  for (let ended = 0; ended < 10; ended++) {
    await pool.until(() => pool.running().length === Math.min(3, 10 - ended));
    assert.ok(pool.inFlight <= 3, `in flight: ${pool.inFlight}`);
    pool.end(pool.running()[0]!);
  }
  await done;
  assert.equal(pool.maxInFlight, 3);
  assert.deepEqual(pool.started, Object.keys(graph), 'ready stages start in plan order');
});

test('jobs: 1 runs one stage at a time', LIMIT, async () => {
  const pool = new FakePool({ a: 'ok', b: 'ok', c: 'ok', d: 'ok', e: 'ok' });
  await run(pool, { jobs: 1 });
  assert.equal(pool.maxInFlight, 1);
  assert.deepEqual(pool.started, ['a', 'b', 'c', 'd', 'e']);
});

test('a failure skips its dependents and names them; without keep-going nothing new starts', LIMIT, async () => {
  const pool = new FakePool();
  const done = run(pool, { jobs: 1 });
  await pool.until(() => pool.running().length === 1);
  pool.end('a', 'failed');
  const outcomes = await done;
  assert.deepEqual(pool.started, ['a'], 'e was not started after the failure');
  assert.deepEqual(Object.fromEntries(pool.skipped), {
    b: 'upstream a failed',
    c: 'upstream a failed',
    d: 'upstream b failed',
    e: 'an earlier stage failed (use --keep-going to run unaffected stages)',
  });
  assert.deepEqual(Object.fromEntries(outcomes), { a: 'failed', b: 'skipped', c: 'skipped', d: 'skipped', e: 'skipped' });
});

test('a stage with several failed upstream stages names them all', LIMIT, async () => {
  const graph = { p: [], q: [], r: ['p', 'q', 'p'] };
  const pool = new FakePool({ p: 'failed', q: 'failed' });
  await run(pool, { keepGoing: true }, graph);
  assert.equal(pool.skipped.get('r'), 'upstream p, q failed');
});

test('keep-going runs the branches a failure does not affect', LIMIT, async () => {
  const pool = new FakePool({ a: 'ok', b: 'failed', c: 'ok', e: 'ok' });
  const outcomes = await run(pool, { jobs: 1, keepGoing: true });
  assert.deepEqual(pool.started, ['a', 'b', 'c', 'e']);
  assert.deepEqual(Object.fromEntries(pool.skipped), { d: 'upstream b failed' });
  assert.deepEqual(Object.fromEntries(outcomes), { a: 'ok', b: 'failed', c: 'ok', d: 'skipped', e: 'ok' });
});

test('without keep-going, stages already running when a failure happens still finish', LIMIT, async () => {
  const pool = new FakePool();
  const done = run(pool);
  await pool.until(() => pool.running().length === 2);
  pool.end('e', 'failed');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(pool.running(), ['a'], 'a keeps running');
  pool.end('a');
  const outcomes = await done;
  assert.equal(outcomes.get('a'), 'ok');
  assert.deepEqual(pool.started, ['a', 'e']);
  assert.equal(pool.skipped.get('b'), 'an earlier stage failed (use --keep-going to run unaffected stages)');
});

test('cancellation skips stages not yet started; running ones end on their own', LIMIT, async () => {
  const controller = new AbortController();
  const pool = new FakePool();
  const done = run(pool, { jobs: 1, signal: controller.signal });
  await pool.until(() => pool.running().length === 1);
  controller.abort();
  pool.end('a', 'ok');
  const outcomes = await done;
  assert.deepEqual(pool.started, ['a']);
  assert.deepEqual(Object.fromEntries(pool.skipped), { b: 'run cancelled', c: 'run cancelled', d: 'upstream b failed', e: 'run cancelled' });
  assert.equal(outcomes.get('a'), 'ok');
});

test('a cancelled stage that fails skips its dependents as failed upstream', LIMIT, async () => {
  const controller = new AbortController();
  const pool = new FakePool();
  const done = run(pool, { signal: controller.signal, keepGoing: true });
  await pool.until(() => pool.running().length === 2);
  controller.abort();
  pool.end('a', 'failed');
  pool.end('e', 'ok');
  await done;
  assert.deepEqual(Object.fromEntries(pool.skipped), { b: 'upstream a failed', c: 'upstream a failed', d: 'upstream b failed' });
});

test('an aborted signal before the start skips everything', LIMIT, async () => {
  const pool = new FakePool();
  await run(pool, { signal: AbortSignal.abort() });
  assert.deepEqual(pool.started, []);
  assert.equal(pool.skipped.get('a'), 'run cancelled');
  assert.equal(pool.skipped.get('b'), 'upstream a failed');
});

test('drain: once a newer change arrives nothing new starts, running stages finish', LIMIT, async () => {
  const drain = new AbortController();
  const pool = new FakePool();
  const done = run(pool, { drain: drain.signal });
  await pool.until(() => pool.running().length === 2);
  drain.abort();
  pool.end('a');
  pool.end('e');
  const outcomes = await done;
  assert.deepEqual(pool.started.sort(), ['a', 'e']);
  assert.equal(pool.skipped.get('b'), 'superseded by a newer change');
  assert.equal(pool.skipped.get('c'), 'superseded by a newer change');
  assert.equal(outcomes.get('a'), 'ok');
});

test('an upstream stage missing from the plan stalls with a clear error instead of hanging', LIMIT, async () => {
  const pool = new FakePool({ a: 'ok' });
  await assert.rejects(run(pool, {}, { a: [], z: ['missing'] }), /scheduler stalled with pending stages: z/);
});
