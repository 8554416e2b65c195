/**
 * @fileoverview `trainyard graph`: the DAG as text, Mermaid or DOT.
 */
import { errors } from '../../errors/index.js';
import { renderGraph, type GraphFormat } from '../../graph/render.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function graphCommand(o: CommonOptions & { format?: string }): Promise<number> {
  const fmt = (o.format ?? 'text') as GraphFormat;
  if (!['text', 'mermaid', 'dot'].includes(fmt)) throw errors.graphFormat({ value: String(o.format) });
  const state = await loadEngine(o);
  process.stdout.write(renderGraph(state.compiled, fmt) + '\n');
  return EXIT.OK;
}
