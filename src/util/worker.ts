/**
 * @fileoverview Starts a worker thread on a sibling module, from compiled JS or from the
 * TypeScript sources. Under tsx (tests, `npm run bench`) Node 20 loads a worker's entry before
 * `--import` hooks are ready, so a tiny boot module registers tsx in the thread first.
 */
import { Worker } from 'node:worker_threads';

/**
 * @param moduleUrl the worker module: `new URL('./worker.js', import.meta.url)` (use the
 *   caller's own extension, `.ts` when running from sources)
 */
export function startWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
