/**
 * @fileoverview What an exported model's card says, gathered from the compiled pipeline and
 * the store entries at hand: the recipe (the model's stage and everything upstream of it,
 * in run order, with options as resolved) and the metrics of the model's stage and of the
 * stages that read this model (evaluations) — those whose entry was computed from it.
 */
import type { ModelCardInfo } from '../artifacts/export/index.js';
import type { Manifest } from '../cache/store.js';
import type { CompiledPipeline } from '../graph/compile.js';

/** Card facts for `stage.output`, whose entry is `manifests.get(stage)`. */
export function modelCardInfo(compiled: CompiledPipeline, stage: string, output: string, manifests: ReadonlyMap<string, Manifest>): ModelCardInfo {
  const { pipeline, bindings } = compiled;
  const upstream = new Set<string>([stage]);
  for (const name of [...compiled.order].reverse()) {
    if (!upstream.has(name)) continue;
    for (const bs of Object.values(bindings.get(name) ?? {})) for (const b of bs) upstream.add(b.stage);
  }
  const recipe = compiled.order.filter((n) => upstream.has(n)).map((n) => {
    const s = pipeline.stages.get(n)!;
    return { name: n, type: s.type, inputs: s.inputs, options: s.options };
  });
  const own = manifests.get(stage);
  const metrics: Record<string, Record<string, number>> = { [stage]: own?.metrics ?? {} };
  const hash = own?.outputs[output]?.hash;
  for (const [name, ports] of bindings) {
    const reads = Object.values(ports).some((bs) => bs.some((b) => b.stage === stage && b.output === output));
    const m = reads ? manifests.get(name) : undefined;
    // Only a result computed from this very artifact speaks for it.
    if (m && hash && Object.values(m.details.inputs).some((hs) => hs.includes(hash))) metrics[name] = m.metrics;
  }
  return { pipeline: pipeline.name, from: `${stage}.${output}`, key: own?.key ?? '', createdAt: own?.createdAt, backend: own?.backend, recipe, metrics };
}
