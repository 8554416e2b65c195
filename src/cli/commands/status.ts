/**
 * @fileoverview `trainyard status [stages…]`: for every stage, cached or why it will run
 * (`pretrain: with.lr 0.001 → 0.0003`).
 */
import pc from 'picocolors';
import { planSelection } from '../../graph/plan.js';
import { computeStatus, type EngineState } from '../../runner/staleness.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function printStatus(state: EngineState, stages: string[], o: { force?: boolean; json?: boolean }): Promise<number> {
  const rows = await computeStatus(state, stages, o.force === true);
  if (o.json) {
    process.stdout.write(JSON.stringify({ stages: rows.map(({ manifest: _m, ...r }) => r) }, null, 2) + '\n');
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  for (const r of rows) {
    const mark = r.willRun ? pc.yellow('will run') : pc.green('cached  ');
    process.stdout.write(`${r.name.padEnd(width)}  ${mark}  ${pc.dim(r.reasons.join('; '))}\n`);
  }
  const n = rows.filter((r) => r.willRun).length;
  process.stdout.write(n === 0 ? pc.green('everything is up to date\n') : `${n} of ${rows.length} stage(s) will run\n`);
  return EXIT.OK;
}

export async function statusCommand(targets: string[], o: CommonOptions & { json?: boolean }): Promise<number> {
  const state = await loadEngine(o);
  const plan = planSelection(state.compiled, { targets });
  return printStatus(state, plan.stages, o);
}
