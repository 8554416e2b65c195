/**
 * @fileoverview `trainyard report [run] [-f pipeline] [-o file.html]`: writes one self-contained
 * HTML report of a run (default: the pipeline's latest; a run id, previous, latest~N or a sweep
 * trial `<sweep>#<n>`), by default to `.trainyard/reports/<runId>.html` (src/report/html).
 */
import { join, relative, resolve } from 'node:path';
import { Store } from '../../cache/store.js';
import { gatherReport, writeReport } from '../../report/html/index.js';
import { pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';
import { runOrTrial } from './compare.js';

export async function reportCommand(ref: string | undefined, o: CommonOptions & { output?: string }): Promise<number> {
  const file = resolve(pipelinePath(o.file));
  const store = new Store(storeRoot(file, o.store));
  const run = await runOrTrial(store, ref ?? 'latest', file);
  const model = await gatherReport(run, store);
  const out = resolve(o.output ?? join(store.root, 'reports', `${model.runId.replace(/[^A-Za-z0-9_.#-]+/g, '_')}.html`));
  const bytes = await writeReport(out, model);
  process.stdout.write(`report of run ${model.runId}: ${relative(process.cwd(), out) || out} (${(bytes / 1e6).toFixed(1)} MB)\n`);
  return EXIT.OK;
}
