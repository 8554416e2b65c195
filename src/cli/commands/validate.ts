/**
 * @fileoverview `trainyard validate`: schema, references, artifact types and cycles, without running.
 */
import pc from 'picocolors';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function validateCommand(o: CommonOptions): Promise<number> {
  const state = await loadEngine(o);
  const p = state.compiled.pipeline;
  process.stdout.write(`${pc.green('✔')} ${p.map.file}: ${p.stages.size} stage(s), ${p.plugins.length} plugin(s) — valid\n`);
  return EXIT.OK;
}
