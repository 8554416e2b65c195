/**
 * @fileoverview `trainyard worker --queue redis://host:6379 [--tags gpu]`: runs stages that
 * `trainyard run --executor redis://…` puts on the queue, on this machine, until Ctrl-C
 * (the first lets running stages finish; a second stops at once, and another worker takes
 * them over). See src/runner/queue/queue-worker.ts.
 */
import { resolve, join } from 'node:path';
import pc from 'picocolors';
import { remoteSpec } from '../../cache/remote/open.js';
import { Store } from '../../cache/store.js';
import { errors } from '../../errors/index.js';
import { MAX_WORKER_TAGS, queueTarget } from '../../runner/queue/connection.js';
import { QueueWorker, type WorkerReport } from '../../runner/queue/queue-worker.js';
import { EXIT } from '../output.js';

export interface WorkerCliOptions {
  queue?: string; tags?: string; concurrency?: string; dir?: string; store?: string; remote?: string; json?: boolean; lockMs?: string;
}

export async function workerCommand(o: WorkerCliOptions): Promise<number> {
  const url = o.queue ?? process.env.TRAINYARD_QUEUE;
  if (!url) throw errors.badQueueUrl({ url: '', flag: '--queue' });
  const target = queueTarget(url, '--queue');
  const tags = (o.tags ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length > MAX_WORKER_TAGS || tags.some((t) => !/^[a-z0-9][a-z0-9_-]*$/.test(t))) throw errors.workerTags({ tags, max: MAX_WORKER_TAGS });
  const concurrency = o.concurrency === undefined ? 1 : Number(o.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw errors.jobs({ value: String(o.concurrency) });
  const lockRaw = o.lockMs ?? process.env.TRAINYARD_QUEUE_LOCK_MS;
  const lockMs = lockRaw === undefined ? undefined : Number(lockRaw);
  if (lockMs !== undefined && !(Number.isInteger(lockMs) && lockMs >= 500)) throw errors.jobs({ value: String(lockRaw) });
  const dir = resolve(o.dir ?? '.');
  const store = new Store(o.store ? resolve(o.store) : join(dir, '.trainyard'));
  const remote = o.remote ? remoteSpec(o.remote, process.cwd(), '--remote') : undefined;
  const report = o.json ? (r: WorkerReport) => process.stdout.write(JSON.stringify(r) + '\n') : plain;
  const worker = await QueueWorker.start({ target, dir, store, tags, concurrency, remote, lockMs, report });
  return new Promise<number>((done) => {
    let stops = 0;
    const stop = (sig: NodeJS.Signals) => {
      stops += 1;
      if (stops > 1) process.exit(EXIT.CANCELLED);
      process.stderr.write(`\n${sig}: taking no more jobs; running stages finish first (press Ctrl-C again to stop now: another worker takes them over)\n`);
      void worker.close(true).then(() => done(EXIT.OK));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function plain(r: WorkerReport): void {
  const key = 'key' in r ? pc.dim(` (key ${r.key.slice(0, 12)})`) : '';
  const line = r.event === 'ready' ? `worker ${r.worker} on ${r.url}, queues ${r.queues.join(', ')}: waiting for stages`
    : r.event === 'start' ? `▶ ${r.stage}${key} for run ${r.runId} from ${r.submitter}${r.attempt > 1 ? `, attempt ${r.attempt}` : ''}`
      : r.event === 'done' ? pc.green(`✓ ${r.stage}${key} in ${(r.durationMs / 1000).toFixed(1)} s, pushed ${r.files} new file(s)`)
        : r.event === 'present' ? `= ${r.stage}${key} is in the remote cache already`
          : pc.red(`✗ ${r.stage}${key} ${r.code}: ${r.message}${r.retry ? ` (retried in ${((r.retryInMs ?? 0) / 1000).toFixed(1)} s)` : ''}`);
  process.stdout.write(line + '\n');
}
