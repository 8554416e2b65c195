/**
 * @fileoverview Worker-thread entry of ThreadPool: imports the task module once, runs its
 * `setup(init)` when it has one, then answers `{id, fn, batch, options}` messages with
 * `{id, ok, result | error}`. Typed arrays in the result (the result itself, its array items
 * or its object values) are transferred, so a task must not keep them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchFn, TaskReply, TaskRequest } from './thread-pool.js';

const { moduleUrl, init } = workerData as { moduleUrl: string; init?: unknown };
const mod = (await import(moduleUrl)) as Record<string, BatchFn<unknown, unknown> | undefined> & { setup?: (init: unknown) => unknown };
if (typeof mod.setup === 'function') await mod.setup(init);

/** The distinct buffers of the typed arrays in `result`, one level deep. */
function transferables(result: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  // Node Buffers may share a pooled ArrayBuffer: copy those.
  const add = (v: unknown) => { if (ArrayBuffer.isView(v) && !Buffer.isBuffer(v) && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer); };
  add(result);
  if (Array.isArray(result)) result.forEach(add);
  else if (result && typeof result === 'object') Object.values(result).forEach(add);
  return [...buffers];
}

parentPort!.on('message', async (m: TaskRequest) => {
  try {
    const fn = m.fn === 'setup' ? undefined : mod[m.fn];
    if (!fn) throw new Error(`task module ${moduleUrl} has no export "${m.fn}"`);
    const result = await fn(m.batch, m.options);
    parentPort!.postMessage({ id: m.id, ok: true, result } satisfies TaskReply, transferables(result));
  } catch (err) {
    parentPort!.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies TaskReply);
  }
});
