/**
 * @fileoverview `trainyard worker --queue redis://host:6379 [--tags gpu]`: runs stages that
 * `trainyard run --executor redis://…` puts on the queue, on this machine, until Ctrl-C
 * (the first lets running stages finish; a second stops at once, and another worker takes
 * them over). See src/runner/queue/queue-worker.ts.
 *
 * `trainyard worker --once <file|->` runs the one stage job in the file (or on stdin) and
 * exits: what a Slurm job does (src/runner/slurm). It prints one JSON line per event, which
 * the submitting run reads from the job's log.
 */
import { readFile } from 'node:fs/promises';
import { resolve, join } from 'node:path';
import pc from 'picocolors';
import { remoteSpec } from '../../cache/remote/open.js';
import { Store } from '../../cache/store.js';
import { asTrainyardError, errors } from '../../errors/index.js';
import { MAX_WORKER_TAGS, queueTarget } from '../../runner/queue/connection.js';
import { QueueWorker, type WorkerReport } from '../../runner/queue/queue-worker.js';
import { checkQueuedStage } from '../../runner/queue/queued-stage.js';
import { StageHost } from '../../runner/queue/stage-host.js';
import type { JobEvent } from '../../runner/job.js';
import { EXIT } from '../output.js';

export interface WorkerCliOptions {
  queue?: string; tags?: string; concurrency?: string; dir?: string; store?: string; remote?: string; json?: boolean; lockMs?: string;
  /** A job file (or `-`: stdin) to run alone, then exit. */
  once?: string;
}

export async function workerCommand(o: WorkerCliOptions): Promise<number> {
  if (o.once !== undefined) return runOnce(o.once, o);
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

/** One line of `worker --once` output: a stage event, or how the job ended. */
export type OnceLine =
  | { event: 'job'; e: JobEvent }
  | { event: 'done'; status: 'done' | 'present'; files: number; durationMs: number }
  | { event: 'failed'; error: Record<string, unknown> };

async function runOnce(file: string, o: WorkerCliOptions): Promise<number> {
  const print = (l: OnceLine) => process.stdout.write(JSON.stringify(l) + '\n');
  const text = file === '-' ? await readStdin() : await readFile(resolve(file), 'utf8');
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (err) { throw errors.badJob({ id: file, problem: `it is not JSON (${(err as Error).message})` }); }
  const data = checkQueuedStage(typeof raw === 'object' && raw && 'key' in raw ? String(raw.key) : file, raw);
  const dir = resolve(o.dir ?? '.');
  const host = new StageHost({ dir, store: new Store(o.store ? resolve(o.store) : join(dir, '.trainyard')), remote: o.remote ? remoteSpec(o.remote, process.cwd(), '--remote') : undefined });
  const controller = new AbortController();
  // scancel (and a time limit) send SIGTERM first: the stage gets its moment to checkpoint.
  const stop = () => controller.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    const r = await host.run(data, (e) => print({ event: 'job', e }), controller.signal);
    print({ event: 'done', ...r });
    return EXIT.OK;
  } catch (err) {
    print({ event: 'failed', error: asTrainyardError(err).toJSON() });
    return controller.signal.aborted ? EXIT.CANCELLED : EXIT.STAGE_FAILED;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await host.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
