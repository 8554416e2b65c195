/**
 * @fileoverview `trainyard ls [stages…]`: every stage of the pipeline with its cache key,
 * whether its result is in the store, and each artifact's kind, size and file count.
 *
 *   raw       source    cached    3f2a9c1b04de  docs   documents  12.3 kB  1 file
 *   pretrain  pretrain  will run  -             with.lr 0.001 → 0.002
 */
import pc from 'picocolors';
import { planSelection } from '../../graph/plan.js';
import { table } from '../../report/history.js';
import { computeStatus } from '../../runner/staleness.js';
import { portSpec, type OutputSpec } from '../../stages/define.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

/** `12.3 kB`, decimal units as `du --si` prints them. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n, i = -1;
  do { v /= 1000; i++; } while (v >= 1000 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

interface LsArtifact { output: string; kind: string; bytes: number; files: number; path?: string; hash?: string }
interface LsRow { stage: string; type: string; cached: boolean; key?: string; reasons: string[]; artifacts: LsArtifact[] }

export async function lsCommand(targets: string[], o: CommonOptions & { json?: boolean }): Promise<number> {
  const state = await loadEngine(o);
  const plan = planSelection(state.compiled, { targets });
  const rows = await computeStatus(state, plan.stages, false);
  const shown = targets.length ? rows.filter((r) => targets.includes(r.name)) : rows;
  const out: LsRow[] = shown.map((r) => {
    const def = state.compiled.pipeline.stages.get(r.name)!.def;
    const artifacts = Object.entries(def.outputs).map(([output, spec]) => {
      const entry = r.manifest?.outputs[output];
      const files = entry?.files ?? [];
      return {
        output, kind: portSpec<OutputSpec>(spec).kind, bytes: files.reduce((a, f) => a + f.size, 0), files: files.length,
        ...(entry ? { path: state.store.outputDir(r.manifest!.key, output), hash: entry.hash } : {}),
      };
    });
    return { stage: r.name, type: r.type, cached: !r.willRun, key: r.key, reasons: r.reasons, artifacts };
  });
  if (o.json) {
    process.stdout.write(JSON.stringify({ store: state.store.root, stages: out }, null, 2) + '\n');
    return EXIT.OK;
  }
  const lines: string[][] = [['stage', 'type', 'state', 'key', 'output', 'kind', 'size', 'files']];
  for (const r of out) {
    const state_ = r.cached ? 'cached' : 'will run';
    const key = r.key ? r.key.slice(0, 12) : '-';
    if (!r.cached) {
      lines.push([r.stage, r.type, state_, key, ...r.artifacts.slice(0, 1).map((a) => [a.output, a.kind, '-', '-']).flat()]);
      for (const a of r.artifacts.slice(1)) lines.push(['', '', '', '', a.output, a.kind, '-', '-']);
      continue;
    }
    r.artifacts.forEach((a, i) => lines.push([i ? '' : r.stage, i ? '' : r.type, i ? '' : state_, i ? '' : key, a.output, a.kind, formatBytes(a.bytes), `${a.files} file${a.files === 1 ? '' : 's'}`]));
  }
  const text = table(lines).split('\n');
  process.stdout.write(pc.bold(text[0]!) + '\n' + text.slice(1).join('\n') + '\n');
  const cached = out.filter((r) => r.cached);
  const total = cached.flatMap((r) => r.artifacts).reduce((a, b) => a + b.bytes, 0);
  process.stdout.write(pc.dim(`${cached.length} of ${out.length} stage(s) cached, ${formatBytes(total)} in ${state.store.root}\n`));
  return EXIT.OK;
}
