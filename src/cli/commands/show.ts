/**
 * @fileoverview `trainyard show <stage>[.output]`: where an artifact lives in the store and
 * what it holds (documents per split, token counts, a model's shape and parameters, metrics).
 *
 *   pretrain.model  model
 *     path        .trainyard/store/3f/3f2a…/outputs/model
 *     key         3f2a9c1b04de…
 *     size        52.1 kB in 3 files
 *     config      n_layer 1 · n_head 2 · n_embd 16 · n_positions 16 · vocab_size 280
 *     parameters  12,345
 */
import pc from 'picocolors';
import { summarizeArtifact } from '../../artifacts/summary.js';
import { fmt } from '../../report/history.js';
import { resolveTarget } from '../artifact-target.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';
import { formatBytes } from './ls.js';

/** `a 1 · b 2` for a flat object, JSON for anything else. */
function inline(v: unknown): string {
  if (typeof v === 'number') return v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
  if (Array.isArray(v)) return v.join(', ') || '(none)';
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.every(([, x]) => typeof x !== 'object' || x === null)) {
      return entries.map(([k, x]) => `${k} ${typeof x === 'number' ? fmt(x) : String(x)}`).join(' · ') || '(none)';
    }
    return JSON.stringify(v);
  }
  return String(v);
}

export async function showCommand(target: string, o: CommonOptions & { json?: boolean }): Promise<number> {
  const state = await loadEngine(o);
  const { artifacts } = await resolveTarget(state, target, { all: true });
  const shown = [];
  for (const a of artifacts) {
    const entry = a.manifest.outputs[a.output];
    const files = entry?.files ?? [];
    shown.push({
      artifact: `${a.stage}.${a.output}`, kind: a.kind, path: a.path, key: a.manifest.key, hash: entry?.hash,
      bytes: files.reduce((s, f) => s + f.size, 0), files: files.map((f) => f.path), createdAt: a.manifest.createdAt,
      summary: await summarizeArtifact(a.kind, a.path), metrics: a.manifest.metrics,
    });
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({ artifacts: shown }, null, 2) + '\n');
    return EXIT.OK;
  }
  for (const s of shown) {
    const rows: Array<[string, string]> = [
      ['path', s.path], ['key', s.key], ['size', `${formatBytes(s.bytes)} in ${s.files.length} file${s.files.length === 1 ? '' : 's'}`],
      ['created', s.createdAt], ...Object.entries(s.summary).map(([k, v]): [string, string] => [k, inline(v)]),
    ];
    if (Object.keys(s.metrics).length) rows.push(['stage metrics', inline(s.metrics)]);
    const w = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`${pc.bold(s.artifact)}  ${pc.cyan(s.kind)}\n`);
    for (const [k, v] of rows) process.stdout.write(`  ${pc.dim(k.padEnd(w))}  ${v}\n`);
  }
  return EXIT.OK;
}
