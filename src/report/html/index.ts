/**
 * @fileoverview `trainyard report`: one self-contained HTML file about a run (DAG, time and
 * cache hits per stage, data funnel, training curves, evaluation, samples, sweep), written
 * atomically.
 *
 *   const model = await gatherReport(run, store);
 *   await writeReport('report.html', model);
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import type { ReportModel } from './model.js';
import { renderPage } from './page.js';

export { gatherReport } from './gather.js';
export { renderPage, reportCharts } from './page.js';
export type { ReportModel } from './model.js';

/** Renders `model` and writes it to `file`; returns its size in bytes. */
export async function writeReport(file: string, model: ReportModel): Promise<number> {
  const text = renderPage(model);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  return Buffer.byteLength(text);
}
