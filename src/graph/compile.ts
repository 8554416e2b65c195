/**
 * @fileoverview ResolvedPipeline → DAG (graphlib). Each input reference is resolved to an
 * upstream stage output and type-checked: a `tokens` port cannot take `documents`. Cycles
 * print their path. Pure: no I/O.
 *
 *   source ──▶ clean ──▶ dedupe ──▶ filter ──▶ split ──▶ tokenize ──▶ pretrain ──▶ eval
 *                                                           └──────────────────────────▲
 */
import graphlib from '@dagrejs/graphlib';
import type { ResolvedOut, ResolvedPipeline, ResolvedStage } from '../config/types.js';
import { TrainyardError, TrainyardErrorList, errors } from '../errors/index.js';
import { portSpec, type InputSpec, type OutputSpec } from '../stages/define.js';

const { Graph, alg } = graphlib;
export type DagGraph = InstanceType<typeof Graph>;

export interface Binding { stage: string; output: string }

/** A pipeline `outs:` entry bound to the stage output it mirrors. */
export interface OutBinding extends Binding { out: ResolvedOut; kind: OutputSpec['kind'] }

export interface CompiledPipeline {
  pipeline: ResolvedPipeline;
  graph: DagGraph;
  /** Stage name → port → upstream outputs. */
  bindings: Map<string, Record<string, Binding[]>>;
  /** Stage names in a topological order (ties broken by file order). */
  order: string[];
  /** Pipeline `outs:`, each bound to a stage output. */
  outs: OutBinding[];
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
  const outs: OutBinding[] = [];
  for (const out of pipeline.outs) {
    const b = bindOut(out, pipeline);
    if (b instanceof TrainyardError) problems.push(b);
    else outs.push(b);
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
  return { pipeline, graph, bindings, outs, order: topoOrder(graph, [...stages.keys()]) };
}

/** Splits `stage.output` (a stage name may itself contain dots only through foreach items). */
function splitRef(ref: string, stages: ReadonlyMap<string, ResolvedStage>): { upName: string; output?: string } {
  if (stages.has(ref) || !ref.includes('.')) return { upName: ref };
  const dot = ref.lastIndexOf('.');
  return { upName: ref.slice(0, dot), output: ref.slice(dot + 1) };
}

function bindOut(out: ResolvedOut, pipeline: ResolvedPipeline): OutBinding | TrainyardError {
  const { stages, map } = pipeline;
  // The value of `path: ref`, or the `from:` of `path: { from, link }`.
  const at = () => ({ file: map.file, ...(map.frame([...out.origin, 'from']).loc ? map.frame([...out.origin, 'from']) : map.frame(out.origin)) });
  const { upName, output: named } = splitRef(out.ref, stages);
  const up = stages.get(upName);
  if (!up) return errors.outUnknownStage({ path: out.display, ref: upName, names: [...stages.keys()] }, at());
  const output = named ?? defaultOutput(up);
  const spec = up.def.outputs[output];
  if (!spec) return errors.outUnknownOutput({ path: out.display, stage: up.name, type: up.type, output, outputs: Object.keys(up.def.outputs) }, at());
  return { stage: up.name, output, out, kind: portSpec<OutputSpec>(spec).kind };
}

function bindRef(ref: string, stage: ResolvedStage, spec: InputSpec, pipeline: ResolvedPipeline, at: () => object): Binding | TrainyardError {
  const { stages } = pipeline;
  const { upName, output: named } = splitRef(ref, stages);
  let output = named;
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
