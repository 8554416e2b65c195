/**
 * The pure parts of the Redis executor: queue URLs, which queue a stage goes to and which
 * queues a worker listens on (tag matching), job options (job id = cache key, so a second
 * add names the same job), the retry policy and its backoff, and the job data check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainyardError } from '../../../src/errors/index.js';
import { queueName, queueTarget, stageTags, workerQueues } from '../../../src/runner/queue/connection.js';
import { checkQueuedStage, queuedStage, workerPlugin } from '../../../src/runner/queue/queued-stage.js';
import { BACKOFF_TYPE, DEFAULT_RETRY, MAX_BACKOFF_MS, isRetryable, retryDelayMs, retryPolicyFromEnv, stageJobOptions } from '../../../src/runner/queue/retry.js';
import type { StageRequest } from '../../../src/runner/executor.js';

const KEY = 'a'.repeat(64);

test('queue URLs: host, port, db, credentials and TLS; anything else is E_USAGE naming the flag', () => {
  const t = queueTarget('redis://user:p%40ss@gpu-box:6380/2', '--executor');
  assert.equal(t.display, 'redis://gpu-box:6380/2', 'no password in messages');
  assert.deepEqual({ host: t.connection.host, port: t.connection.port, db: t.connection.db, username: t.connection.username, password: t.connection.password }, { host: 'gpu-box', port: 6380, db: 2, username: 'user', password: 'p@ss' });
  assert.equal(t.connection.maxRetriesPerRequest, null, 'BullMQ workers need it');
  assert.equal(queueTarget('redis://localhost', '--queue').connection.port, 6379);
  assert.deepEqual(queueTarget('rediss://h:1', '--queue').connection.tls, {});
  for (const bad of ['localhost:6379', 'http://h:1', 'redis://h:1/x', 'nonsense']) {
    assert.throws(() => queueTarget(bad, '--queue'), (e: unknown) => e instanceof TrainyardError && e.code === 'E_USAGE' && e.message.includes('--queue must be a Redis URL') && e.message.includes(bad), bad);
  }
});

test('tag matching: a stage goes to the queue of exactly its tags; a worker listens on every subset of its own', () => {
  assert.deepEqual(stageTags(undefined), []);
  assert.deepEqual(stageTags({ gpus: 1 }), ['gpu']);
  assert.deepEqual(stageTags({ gpus: 0, tags: ['big-ram'] }), ['big-ram']);
  assert.deepEqual(stageTags({ gpus: 2, tags: ['gpu', 'a100'] }), ['a100', 'gpu'], 'sorted, gpu once');
  assert.equal(queueName([]), 'trainyard');
  assert.equal(queueName(['gpu', 'a100']), 'trainyard-a100+gpu', 'order does not matter');
  assert.deepEqual(workerQueues([]), ['trainyard']);
  assert.deepEqual(workerQueues(['gpu', 'gpu']).sort(), ['trainyard', 'trainyard-gpu']);
  const takes = (worker: string[], stage: Parameters<typeof stageTags>[0]) => workerQueues(worker).includes(queueName(stageTags(stage)));
  assert.equal(takes([], { gpus: 1 }), false, 'a plain worker never gets a GPU stage');
  assert.equal(takes(['gpu'], { gpus: 1 }), true);
  assert.equal(takes(['gpu'], {}), true, 'a GPU worker runs plain stages too');
  assert.equal(takes(['gpu'], { gpus: 1, tags: ['a100'] }), false);
  assert.equal(takes(['a100', 'gpu', 'nvme'], { gpus: 1, tags: ['a100'] }), true);
  assert.equal(workerQueues(['a', 'b', 'c', 'd']).length, 16);
});

test('job options: the cache key is the job id (adding a stage twice names one job); retries use our backoff', () => {
  const a = stageJobOptions(KEY, DEFAULT_RETRY);
  const b = stageJobOptions(KEY, DEFAULT_RETRY);
  assert.equal(a.jobId, KEY);
  assert.equal(a.jobId, b.jobId);
  assert.notEqual(stageJobOptions('b'.repeat(64), DEFAULT_RETRY).jobId, a.jobId);
  assert.deepEqual(a.backoff, { type: BACKOFF_TYPE, delay: 2000 });
  assert.equal(a.attempts, 3);
  assert.ok(a.removeOnComplete && typeof a.removeOnComplete === 'object' && 'age' in a.removeOnComplete && a.removeOnComplete.age! >= 3600, 'finished jobs stay, so a re-enqueue finds them');
});

test('backoff doubles from the base per failed attempt, capped; no delay before the first attempt', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, 2000)), [2000, 4000, 8000, 16000]);
  assert.equal(retryDelayMs(0, 2000), 0);
  assert.equal(retryDelayMs(3, 0), 0);
  assert.equal(retryDelayMs(40, 2000), MAX_BACKOFF_MS);
  assert.equal(retryDelayMs(1e6, 1), MAX_BACKOFF_MS, 'no overflow to Infinity');
});

test('what is retried: crashes, busy locks and network blips; a stage\'s own failure is not', () => {
  assert.equal(isRetryable('E_STAGE_CRASHED'), true);
  assert.equal(isRetryable('E_LOCKED'), true);
  assert.equal(isRetryable('E_STAGE'), false);
  assert.equal(isRetryable('E_USAGE'), false);
  assert.equal(isRetryable('E_ABORTED'), false);
  assert.equal(isRetryable('E_INTERNAL', 'tokenize failed: vocab too small'), false, 'a stage\'s thrown error would fail again');
  assert.equal(isRetryable('E_INTERNAL', 'read ECONNRESET'), true, 'a network blip is worth another try');
  assert.equal(isRetryable('E_INTERNAL', 'fetch failed: getaddrinfo EAI_AGAIN hub'), true);
});

test('retry policy from the environment, with named errors for bad values', () => {
  assert.deepEqual(retryPolicyFromEnv({}), DEFAULT_RETRY);
  assert.deepEqual(retryPolicyFromEnv({ TRAINYARD_QUEUE_ATTEMPTS: '5', TRAINYARD_QUEUE_BACKOFF_MS: '0' }), { attempts: 5, backoffMs: 0 });
  assert.throws(() => retryPolicyFromEnv({ TRAINYARD_QUEUE_ATTEMPTS: '0' }), /TRAINYARD_QUEUE_ATTEMPTS must be a whole number of at least 1, got "0"/);
  assert.throws(() => retryPolicyFromEnv({ TRAINYARD_QUEUE_BACKOFF_MS: '1.5' }), /TRAINYARD_QUEUE_BACKOFF_MS must be a whole number of at least 0/);
});

test('a stage request becomes portable job data, and a worker checks it before running it', () => {
  const req = {
    name: 'tok', key: KEY, details: { deps: {} }, threads: 4, force: false, runId: 'r1',
    inputs: { docs: [{ kind: 'documents', path: '/home/me/p/.trainyard/store/x', hash: 'h1', from: 'raw.docs' }] },
    entries: { docs: [{ key: 'c'.repeat(64), port: 'docs' }] },
    stage: { name: 'tok', type: 'tokenize', options: { vocab_size: 300 }, def: {}, inputs: {}, frozen: false, origin: [] },
  } as unknown as StageRequest;
  const data = queuedStage(req, { dir: '/home/me/p', backend: 'cpu', seed: 1, plugins: ['/home/me/p/plugins/x.ts', 'trainyard-plugin-y', '/opt/z.js'], remote: { url: 's3://b/c', endpoint: 'http://minio:9000', pull: true, push: true, from: 'pipeline' }, submitter: 'h (pid 1)' });
  assert.deepEqual(data.inputs.docs, [{ key: 'c'.repeat(64), port: 'docs', kind: 'documents', hash: 'h1', from: 'raw.docs' }], 'entries, not paths of this machine');
  assert.deepEqual(data.plugins, ['./plugins/x.ts', 'trainyard-plugin-y', '/opt/z.js']);
  assert.deepEqual(data.remote, { url: 's3://b/c', endpoint: 'http://minio:9000' });
  assert.equal(workerPlugin('./plugins/x.ts', '/srv/ckout'), '/srv/ckout/plugins/x.ts');
  assert.equal(workerPlugin('trainyard-plugin-y', '/srv/ckout'), 'trainyard-plugin-y');
  const round = JSON.parse(JSON.stringify(data));
  assert.deepEqual(checkQueuedStage(KEY, round), data);
  const bad = (d: unknown, problem: RegExp) => assert.throws(() => checkQueuedStage(KEY, d), (e: unknown) => e instanceof TrainyardError && problem.test(e.message));
  bad(null, /is not an object/);
  bad({ ...round, v: 99 }, /format version 99, this worker reads 1/);
  bad({ ...round, key: 'nope' }, /no valid cache key/);
  bad({ ...round, remote: undefined }, /names no remote cache/);
});
