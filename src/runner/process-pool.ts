/**
 * @fileoverview A small pool of stage worker processes. Workers are reused between jobs
 * (forking costs ~50 ms; reuse keeps per-stage overhead to an IPC round trip). A worker that
 * dies mid-job fails that job with E_STAGE_CRASHED and is replaced on demand.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { asTrainyardError, errors } from '../errors/index.js';
import type { JobEvent, StageJob } from './job.js';
import type { FromWorker, ToWorker } from './worker.js';

const WORKER = new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

interface Worker { proc: ChildProcess; ready: Promise<void>; busy: boolean; stderr: string[] }

export interface PoolOptions {
  /** Time a stage gets to checkpoint and stop after an abort before it is killed. @default 20000 */
  graceMs?: number;
}

export class StagePool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly graceMs: number;

  constructor(opts: PoolOptions = {}) {
    this.graceMs = opts.graceMs ?? 20_000;
  }

  private spawn(): Worker {
    const proc = fork(WORKER, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    const w: Worker = { proc, busy: false, stderr: [], ready: Promise.resolve() };
    w.ready = new Promise((resolve, reject) => {
      const onMsg = (m: FromWorker) => { if (m.type === 'ready') { proc.off('message', onMsg); resolve(); } };
      proc.on('message', onMsg);
      proc.once('exit', (code) => reject(errors.workerStartFailed({ exitCode: code, stderr: w.stderr.join('').slice(-500) })));
    });
    w.ready.catch(() => undefined);
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => { w.stderr.push(d); if (w.stderr.length > 50) w.stderr.shift(); });
    proc.on('exit', () => { this.all.delete(w); const i = this.idle.indexOf(w); if (i >= 0) this.idle.splice(i, 1); });
    this.all.add(w);
    return w;
  }

  /** Runs a job in a worker; resolves when the stage returns, rejects with a TrainyardError. */
  async run(job: StageJob, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<void> {
    const w = this.idle.pop() ?? this.spawn();
    w.busy = true;
    w.stderr = [];
    await w.ready;
    const onStdout = (d: Buffer | string) => {
      for (const line of String(d).split('\n')) if (line.trim()) onEvent({ type: 'log', level: 'info', message: line });
    };
    w.proc.stdout?.on('data', onStdout);
    try {
      await new Promise<void>((resolve, reject) => {
        let killTimer: NodeJS.Timeout | undefined;
        const onAbort = () => {
          this.send(w, { type: 'abort' });
          killTimer = setTimeout(() => w.proc.kill('SIGKILL'), this.graceMs);
        };
        const cleanup = () => {
          signal.removeEventListener('abort', onAbort);
          w.proc.off('message', onMsg);
          w.proc.off('exit', onExit);
          if (killTimer) clearTimeout(killTimer);
        };
        const onMsg = (m: FromWorker) => {
          if (m.type === 'done') { cleanup(); resolve(); }
          else if (m.type === 'error') {
            cleanup();
            const err = asTrainyardError(m.error);
            if (m.stack) (err as { workerStack?: string }).workerStack = m.stack;
            reject(err);
          } else if (m.type !== 'ready') onEvent(m);
        };
        const onExit = (code: number | null, sig: NodeJS.Signals | null) => {
          cleanup();
          const tail = w.stderr.join('').trim().split('\n').slice(-5).join('\n');
          const oom = /heap out of memory|Allocation failed/i.test(tail);
          if (signal.aborted) reject(errors.stageCancelled());
          else reject(errors.workerDied({ reason: sig ?? `exit code ${code}`, oom, tail }));
        };
        w.proc.on('message', onMsg);
        w.proc.once('exit', onExit);
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted) onAbort();
        this.send(w, { type: 'job', job });
      });
    } finally {
      w.proc.stdout?.off('data', onStdout);
      w.busy = false;
      if (w.proc.exitCode === null && w.proc.signalCode === null && !signal.aborted) this.idle.push(w);
      else w.proc.kill('SIGKILL');
    }
  }

  private send(w: Worker, m: ToWorker): void {
    if (w.proc.connected) w.proc.send(m);
  }

  /** Stops every worker. */
  close(): void {
    for (const w of this.all) {
      if (w.proc.connected) w.proc.disconnect();
      w.proc.kill();
    }
    this.all.clear();
    this.idle.length = 0;
  }
}
