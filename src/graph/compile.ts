/**
 * @fileoverview ResolvedPipeline → DAG (graphlib). Each input reference is resolved to an
 * upstream stage output and type-checked: a `tokens` port cannot take `documents`. Cycles
 * print their path. Pure: no I/O.
 *
 *   source ──▶ clean ──▶ dedupe ──▶ filter ──▶ split ──▶ tokenize ──▶ pretrain ──▶ eval
 *                                                           └──────────────────────────▲
 */
import graphlib from '@dagrejs/graphlib';
import type { ResolvedPipeline, ResolvedStage } from '../config/types.js';
import { TrainyardError, TrainyardErrorList, errors } from '../errors/index.js';
import { portSpec, type InputSpec, type OutputSpec } from '../stages/define.js';

const { Graph, alg } = graphlib;
export type DagGraph = InstanceType<typeof Graph>;

export interface Binding { stage: string; output: string }

export interface CompiledPipeline {
  pipeline: ResolvedPipeline;
  graph: DagGraph;
  /** Stage name → port → upstream outputs. */
  bindings: Map<string, Record<string, Binding[]>>;
  /** Stage names in a topological order (ties broken by file order). */
  order: string[];
}

/** The default output of a stage is its first declared output. */
function defaultOutput(stage: ResolvedStage): string {
  return Object.keys(stage.def.outputs)[0]!;
}

export function compilePipeline(pipeline: ResolvedPipeline): CompiledPipeline {
  const { stages, map } = pipeline;
  const graph: DagGraph = new Graph({ directed: true });
  for (const name of stages.keys()) graph.setNode(name);
  const problems: TrainyardError[] = [];
  const bindings = new Map<string, Record<string, Binding[]>>();
  for (const stage of stages.values()) {
    const bound: Record<string, Binding[]> = {};
    // Positions and frames are computed only when an error is actually reported.
    const at = (...p: Array<string | number>) => () => ({ file: map.file, ...map.frame([...stage.origin, ...p]) });
    for (const [port, refs] of Object.entries(stage.inputs)) {
      const rawSpec = stage.def.inputs[port];
      if (!rawSpec) {
        const ports = Object.keys(stage.def.inputs);
        problems.push(errors.unknownInput({ stage: stage.name, type: stage.type, port, ports }, {
          ...map.frame([...stage.origin, 'inputs', port], { key: true }), file: map.file,
        }));
        continue;
      }
      const spec = portSpec<InputSpec>(rawSpec);
      if (refs.length > 1 && !spec.multiple) {
        problems.push(errors.inputTakesOne({ stage: stage.name, port, count: refs.length }, at('inputs', port)()));
        continue;
      }
      bound[port] = [];
      refs.forEach((ref, i) => {
        const p = refs.length > 1 || Array.isArray(stage.inputs[port]) ? ['inputs', port, i] : ['inputs', port];
        const b = bindRef(ref, stage, spec, pipeline, at(...(p as Array<string | number>)));
        if (b instanceof TrainyardError) problems.push(b);
        else { bound[port]!.push(b); graph.setEdge(b.stage, stage.name); }
      });
    }
    for (const [port, rawSpec] of Object.entries(stage.def.inputs)) {
      const spec = portSpec<InputSpec>(rawSpec);
      if (!spec.optional && !(port in stage.inputs)) {
        problems.push(errors.inputMissing({ stage: stage.name, type: stage.type, port, kind: spec.kind }, at('type')()));
      }
    }
    bindings.set(stage.name, bound);
  }
  if (problems.length === 0) {
    const cycles = alg.findCycles(graph);
    for (const cycle of cycles) {
      const path = [...cycle].reverse();
      const first = stages.get(path[0]!)!;
      problems.push(errors.cycle({ path }, { file: map.file, ...map.frame([...first.origin, 'inputs']) }));
    }
  }
  if (problems.length > 0) throw new TrainyardErrorList(problems, `${map.file}: ${problems.length} error${problems.length === 1 ? '' : 's'}`);
  return { pipeline, graph, bindings, order: topoOrder(graph, [...stages.keys()]) };
}

function bindRef(ref: string, stage: ResolvedStage, spec: InputSpec, pipeline: ResolvedPipeline, at: () => object): Binding | TrainyardError {
  const { stages } = pipeline;
  let upName = ref;
  let output: string | undefined;
  if (!stages.has(ref) && ref.includes('.')) {
    const dot = ref.lastIndexOf('.');
    upName = ref.slice(0, dot);
    output = ref.slice(dot + 1);
  }
  const up = stages.get(upName);
  if (!up) {
    const names = [...stages.keys()];
    return errors.unknownStageRef({ stage: stage.name, ref: upName, names }, at());
  }
  if (up.name === stage.name) return errors.selfInput({ stage: stage.name }, at());
  output ??= defaultOutput(up);
  const outSpec = up.def.outputs[output];
  if (!outSpec) {
    const outs = Object.keys(up.def.outputs);
    return errors.unknownOutputRef({ stage: up.name, type: up.type, output, outputs: outs }, at());
  }
  const kind = portSpec<OutputSpec>(outSpec).kind;
  if (kind !== spec.kind) {
    return errors.typeMismatch({ stage: stage.name, expects: spec.kind, ref, produces: kind }, at());
  }
  return { stage: up.name, output };
}

/** Kahn's algorithm, ties broken by declaration order, so plans read like the file. */
function topoOrder(graph: DagGraph, declared: string[]): string[] {
  const indeg = new Map(declared.map((n) => [n, (graph.predecessors(n) ?? []).length]));
  const rank = new Map(declared.map((n, i) => [n, i]));
  const ready = declared.filter((n) => indeg.get(n) === 0);
  const out: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const n = ready.shift()!;
    out.push(n);
    for (const s of graph.successors(n) ?? []) {
      indeg.set(s, indeg.get(s)! - 1);
      if (indeg.get(s) === 0) ready.push(s);
    }
  }
  return out;
}
