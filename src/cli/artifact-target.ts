/**
 * @fileoverview `stage` or `stage.output` on the command line (`show`, `export`) → the
 * up-to-date store entry of that stage and the outputs named. An unknown stage gets a "did
 * you mean", an unknown output the list of outputs, a stage without an up-to-date result
 * the reason and the command that makes one.
 */
import type { ArtifactKind } from '../artifacts/kinds.js';
import type { Manifest } from '../cache/store.js';
import { errors } from '../errors/index.js';
import { planSelection } from '../graph/plan.js';
import { computeStatus, type EngineState, type StatusRow } from '../runner/staleness.js';
import { portSpec, type OutputSpec } from '../stages/define.js';

/** One artifact of a stage's cached result. */
export interface TargetArtifact { stage: string; type: string; output: string; kind: ArtifactKind; path: string; manifest: Manifest }

/** The artifacts named, and the status of every stage (the manifests a model card needs too). */
export interface ResolvedTarget { artifacts: TargetArtifact[]; rows: StatusRow[] }

/**
 * Resolves `target`; with `all`, a bare stage name means every output of the stage, else
 * its first (default) output, as in `inputs:`.
 */
export async function resolveTarget(state: EngineState, target: string, o: { all?: boolean } = {}): Promise<ResolvedTarget> {
  const { stages } = state.compiled.pipeline;
  let name = target;
  let output: string | undefined;
  if (!stages.has(target) && target.includes('.')) {
    name = target.slice(0, target.lastIndexOf('.'));
    output = target.slice(target.lastIndexOf('.') + 1);
  }
  const stage = stages.get(name);
  if (!stage) throw errors.unknownTarget({ flag: '', name: target, names: [...stages.keys()] });
  const outputs = Object.keys(stage.def.outputs);
  if (output !== undefined && !outputs.includes(output)) throw errors.artifactUnknownOutput({ stage: name, type: stage.type, output, outputs });
  // The whole pipeline: a model card also reports the evaluations downstream of the model.
  const rows = await computeStatus(state, planSelection(state.compiled, {}).stages, false);
  const row = rows.find((r) => r.name === name)!;
  if (!row.manifest) throw errors.artifactNotReady({ stage: name, reason: row.reasons.join('; ') });
  const ports = output !== undefined ? [output] : o.all ? outputs : outputs.slice(0, 1);
  const artifacts = ports.map((port) => ({
    stage: name, type: stage.type, output: port, kind: portSpec<OutputSpec>(stage.def.outputs[port]!).kind,
    path: state.store.outputDir(row.manifest!.key, port), manifest: row.manifest!,
  }));
  return { artifacts, rows };
}

/** The store entries in status rows, by stage. */
export function manifestsOf(rows: readonly StatusRow[]): Map<string, Manifest> {
  return new Map(rows.filter((r) => r.manifest).map((r) => [r.name, r.manifest!]));
}
