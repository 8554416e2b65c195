/**
 * @fileoverview Which stages a command touches (DVC plan_repro). Given the DAG
 *
 *        A ──▶ B ──▶ D
 *        └───▶ C ──▶ E
 *
 * `run D` selects [A, B, D] (a target and its upstream); `--from B` selects B and everything
 * downstream plus the upstream it needs ([A, B, D]); `--until C` is `run C`; `--only D` selects
 * D alone, whose upstream must already be cached (those become lookups). Pure: no I/O.
 */
import graphlib from '@dagrejs/graphlib';
import { errors } from '../errors/index.js';
import type { CompiledPipeline } from './compile.js';

const { alg } = graphlib;

export interface Selection {
  targets?: string[];
  from?: string;
  until?: string;
  only?: boolean;
}

export interface Plan {
  /** Stages to bring up to date, in topological order. */
  stages: string[];
  /** Stages outside the selection whose cached outputs are needed (with --only). */
  lookups: string[];
}

function check(c: CompiledPipeline, name: string, flag: string): void {
  if (!c.pipeline.stages.has(name)) {
    const names = [...c.pipeline.stages.keys()];
    throw errors.unknownTarget({ flag, name, names });
  }
}

function upstreamOf(c: CompiledPipeline, names: Iterable<string>): Set<string> {
  const roots = [...names];
  return new Set(roots.length === 0 ? [] : alg.preorder(reverseView(c), roots));
}

function downstreamOf(c: CompiledPipeline, name: string): Set<string> {
  return new Set(alg.preorder(c.graph, [name]));
}

/** graphlib's preorder walks successors; for ancestors walk a reversed copy. */
const reversed = new WeakMap<object, InstanceType<typeof graphlib.Graph>>();
function reverseView(c: CompiledPipeline) {
  let g = reversed.get(c.graph);
  if (!g) {
    g = new graphlib.Graph({ directed: true });
    for (const n of c.graph.nodes()) g.setNode(n);
    for (const e of c.graph.edges()) g.setEdge(e.w, e.v);
    reversed.set(c.graph, g);
  }
  return g;
}

export function planSelection(c: CompiledPipeline, sel: Selection = {}): Plan {
  for (const t of sel.targets ?? []) check(c, t, '');
  if (sel.from) check(c, sel.from, '--from ');
  if (sel.until) check(c, sel.until, '--until ');
  let chosen = new Set<string>(c.order);
  if (sel.targets && sel.targets.length > 0) chosen = sel.only ? new Set(sel.targets) : upstreamOf(c, sel.targets);
  if (sel.from) {
    const down = downstreamOf(c, sel.from);
    chosen = new Set([...chosen].filter((n) => down.has(n)));
  }
  if (sel.until) {
    const up = upstreamOf(c, [sel.until]);
    chosen = new Set([...chosen].filter((n) => up.has(n)));
  }
  // Everything chosen needs its inputs: ancestors outside the selection are run unless
  // --only, in which case they must already be cached.
  const needed = upstreamOf(c, chosen);
  const stages = c.order.filter((n) => chosen.has(n) || (!sel.only && needed.has(n)));
  const lookups = sel.only ? c.order.filter((n) => needed.has(n) && !chosen.has(n)) : [];
  return { stages, lookups };
}
