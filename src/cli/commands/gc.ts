/**
 * @fileoverview `trainyard gc`: remove cached results that no lock file or recent run uses.
 */
import { collectGarbage } from '../../cache/gc.js';
import { Store } from '../../cache/store.js';
import { pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function gcCommand(o: CommonOptions & { dryRun?: boolean; keepDays?: string }): Promise<number> {
  const root = storeRoot(pipelinePath(o.file), o.store);
  const res = await collectGarbage(new Store(root), { keepDays: Number(o.keepDays ?? 7), dryRun: o.dryRun === true });
  for (const r of res.removed) process.stdout.write(`${o.dryRun ? 'would remove' : 'removed'} ${r}\n`);
  process.stdout.write(`${o.dryRun ? 'would free' : 'freed'} ${(res.bytes / 1e6).toFixed(1)} MB; kept ${res.kept} referenced entr${res.kept === 1 ? 'y' : 'ies'}\n`);
  return EXIT.OK;
}
