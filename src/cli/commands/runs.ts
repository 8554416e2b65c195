/**
 * @fileoverview `trainyard runs [-f pipeline] [--all] [--metric stage.metric…] [--last N] [--json]`:
 * the pipeline's runs, sweep trials included (src/report/runs.ts).
 */
import { resolve } from 'node:path';
import { Store } from '../../cache/store.js';
import { formatRuns, metricColumns, runRows } from '../../report/runs.js';
import { pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function runsCommand(o: CommonOptions & { all?: boolean; metric?: string[]; last?: string; json?: boolean }): Promise<number> {
  const file = resolve(pipelinePath(o.file));
  const store = new Store(storeRoot(file, o.store));
  let rows = await runRows(store.runsDir(), store, o.all ? undefined : file);
  if (o.last !== undefined && Number(o.last) > 0) rows = rows.slice(-Number(o.last));
  if (o.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return EXIT.OK;
  }
  process.stdout.write(rows.length ? formatRuns(rows, metricColumns(rows, o.metric)) + '\n' : 'no runs recorded\n');
  return EXIT.OK;
}
