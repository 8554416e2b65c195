/**
 * @fileoverview What the schema cannot say about a `sweep:` block, checked against the
 * resolved pipeline with positions and "did you mean": each parameter path names a stage
 * option (or a var, or the seed), ranges are ordered and log ranges positive, the objective's
 * and the pruner's stages exist, and the pruned stage is a training stage.
 */
import type { Path, SourceMap } from '../config/source-map.js';
import type { ResolvedStage } from '../config/types.js';
import { errors, type TrainyardError } from '../errors/index.js';
import type { ParameterSpec, SweepSpec } from './types.js';

interface Ctx { stages: ReadonlyMap<string, ResolvedStage>; vars: Record<string, unknown>; map: SourceMap }

/** Every problem of the block (empty when it is sound). `sweep` passed the schema. */
export function checkSweep(sweep: SweepSpec, c: Ctx): TrainyardError[] {
  const out: TrainyardError[] = [];
  const at = (path: Path, key = false) => ({ file: c.map.file, ...c.map.frame(['sweep', ...path], { key }) });
  for (const [path, spec] of Object.entries(sweep.parameters)) {
    const e = checkPath(path, c);
    if (e) out.push(errors.sweepParamPath({ path, ...e }, at(['parameters', path], true)));
    const r = rangeProblem(spec);
    if (r) out.push(errors.sweepRange({ path, problem: r }, at(['parameters', path])));
  }
  const names = [...c.stages.keys()];
  const objStage = sweep.objective.metric.split('.')[0]!;
  if (!c.stages.has(objStage)) out.push(errors.sweepStage({ where: 'sweep.objective.metric', stage: objStage, known: names }, at(['objective', 'metric'])));
  if (sweep.prune && sweep.prune.method !== 'none') {
    const stage = sweep.prune.stage ?? objStage;
    const s = c.stages.get(stage);
    const where = sweep.prune.stage ? at(['prune', 'stage']) : at(['prune']);
    if (!s) {
      if (sweep.prune.stage) out.push(errors.sweepStage({ where: 'sweep.prune.stage', stage, known: names }, where));
      else out.push(errors.sweepPruneStage({ stage, problem: 'is not a stage (the objective names it); set prune.stage' }, where));
    } else if (!s.def.checkpoints) {
      out.push(errors.sweepPruneStage({ stage, problem: `is a ${s.type} stage, which does not train with checkpoints` }, where));
    } else if (typeof s.options.steps !== 'number') {
      out.push(errors.sweepPruneStage({ stage, problem: 'has no `steps` option to measure progress in' }, where));
    } else if (typeof s.options.tokens === 'number' && s.options.tokens > 0) {
      out.push(errors.sweepPruneStage({ stage, problem: 'sets its budget in `tokens`; pruning counts steps, so set `steps` instead' }, where));
    }
  }
  return out;
}

/** Why `path` names no option (`key` is the segment at fault), or undefined. */
function checkPath(path: string, c: Ctx): { problem: string; key: string; known: string[] } | undefined {
  const seg = path.split('.');
  if (path === 'seed') return undefined;
  if (seg[0] === 'vars') {
    const known = Object.keys(c.vars);
    return seg.length === 2 && Object.hasOwn(c.vars, seg[1]!) ? undefined : { problem: `no variable "${seg.slice(1).join('.')}"`, key: seg[1] ?? '', known };
  }
  if (seg[0] !== 'stages') return { problem: 'a path starts with stages., vars. or is seed', key: seg[0]!, known: ['stages', 'vars', 'seed'] };
  const stage = c.stages.get(seg[1] ?? '');
  if (!stage) return { problem: `no stage "${seg[1] ?? ''}"`, key: seg[1] ?? '', known: [...c.stages.keys()] };
  if (seg[2] !== 'with' || seg.length < 4) return { problem: 'a stage option is written stages.<stage>.with.<option>', key: seg[2] ?? '', known: ['with'] };
  const props = Object.keys((stage.def.schema as { properties?: object }).properties ?? {});
  if (props.length > 0 && !props.includes(seg[3]!)) return { problem: `${stage.type} stages have no option "${seg[3]}"`, key: seg[3]!, known: props };
  return undefined;
}

function rangeProblem(p: ParameterSpec): string | undefined {
  if (p.type === 'categorical') return undefined;
  if (!(p.low < p.high)) return `low (${p.low}) must be below high (${p.high})`;
  if (p.log && p.low <= 0) return `a log range needs low > 0 (got ${p.low})`;
  if (p.type === 'int' && !(Number.isInteger(p.low) && Number.isInteger(p.high) && Number.isInteger(p.step ?? 1))) return 'an int range needs whole low, high and step';
  return undefined;
}
