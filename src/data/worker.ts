/**
 * @fileoverview Worker-thread entry of ThreadPool: imports the task module once, then answers
 * `{id, fn, batch, options}` messages with `{id, ok, result | error}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchFn } from './pool.js';

const { moduleUrl } = workerData as { moduleUrl: string };
const mod = (await import(moduleUrl)) as Record<string, BatchFn<unknown, unknown>>;

parentPort!.on('message', async (m: { id: number; fn: string; batch: unknown[]; options: unknown }) => {
  try {
    const fn = mod[m.fn];
    if (!fn) throw new Error(`task module ${moduleUrl} has no export "${m.fn}"`);
    const result = await fn(m.batch, m.options);
    parentPort!.postMessage({ id: m.id, ok: true, result });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
