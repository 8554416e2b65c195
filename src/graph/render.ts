/**
 * @fileoverview `trainyard graph`: the DAG as indented text, Mermaid or Graphviz DOT.
 */
import type { CompiledPipeline } from './compile.js';

export type GraphFormat = 'text' | 'mermaid' | 'dot';

function edges(c: CompiledPipeline): Array<{ from: string; to: string; label: string }> {
  const out = [];
  for (const [to, ports] of c.bindings) {
    for (const [port, bs] of Object.entries(ports)) {
      for (const b of bs) out.push({ from: b.stage, to, label: b.output === port ? port : `${b.output} → ${port}` });
    }
  }
  return out;
}

export function renderGraph(c: CompiledPipeline, format: GraphFormat): string {
  const es = edges(c);
  const type = (n: string) => c.pipeline.stages.get(n)!.type;
  if (format === 'mermaid') {
    const id = (n: string) => n.replace(/[^\w]/g, '_');
    return ['flowchart LR', ...c.order.map((n) => `  ${id(n)}["${n}<br/><small>${type(n)}</small>"]`),
      ...es.map((e) => `  ${id(e.from)} -->|${e.label}| ${id(e.to)}`)].join('\n');
  }
  if (format === 'dot') {
    return ['digraph pipeline {', '  rankdir=LR;', '  node [shape=box, style=rounded];',
      ...c.order.map((n) => `  "${n}" [label="${n}\\n(${type(n)})"];`),
      ...es.map((e) => `  "${e.from}" -> "${e.to}" [label="${e.label}"];`), '}'].join('\n');
  }
  const lines: string[] = [];
  for (const n of c.order) {
    const ins = es.filter((e) => e.to === n).map((e) => `${e.from}${e.label !== 'docs' ? ` (${e.label})` : ''}`);
    lines.push(`${n} [${type(n)}]${ins.length ? `  ◀── ${ins.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}
