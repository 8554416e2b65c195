/**
 * @fileoverview YAML document → ResolvedPipeline: structure check against
 * schemas/pipeline.schema.json, `--set` overrides, plugin loading, `${vars.x}` interpolation,
 * `foreach` expansion, and each stage's `with:` validated (defaults applied) against its
 * type's schema. Every problem is collected and thrown together as a TrainyardErrorList.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, normalize, resolve, sep } from 'node:path';
import { compileSchema } from './ajv.js';
import { interpolate } from './interpolate.js';
import { applySets } from './overrides.js';
import { schemaErrors } from './schema-errors.js';
import type { LoadedFile } from './load.js';
import type { Path } from './source-map.js';
import type { ResolvedOut, ResolvedPipeline, ResolvedStage, StageResources } from './types.js';
import { TrainyardError, TrainyardErrorList, asTrainyardError, errors } from '../errors/index.js';
import { loadPlugin } from '../plugins/load.js';
import type { MatmulPrecision } from '../plugins/contracts.js';
import { checkPrecision } from '../backends/index.js';
import { remoteSpec, type RemoteSetting } from '../cache/remote/open.js';
import { Registry } from '../plugins/registry.js';
import { SCHEMAS_DIR } from './stage-schema.js';
import type { JsonSchema } from '../stages/define.js';
import type { SweepSpec } from '../sweep/types.js';
import { checkSweep } from '../sweep/validate.js';

let structureSchema: JsonSchema | undefined;

/** The pipeline schema without the per-type `with` refs (those are checked per stage, plugins included). */
function pipelineStructureSchema(): JsonSchema {
  if (!structureSchema) {
    const s = JSON.parse(readFileSync(new URL('pipeline.schema.json', SCHEMAS_DIR), 'utf8')) as {
      $id?: string; definitions: { stage: { allOf?: unknown } };
    };
    delete s.definitions.stage.allOf;
    delete s.$id;
    // The sweep block's schema, inlined (with its own $id, so its #/definitions resolve inside it).
    (s as unknown as { properties: Record<string, unknown> }).properties.sweep = JSON.parse(readFileSync(new URL('sweep.schema.json', SCHEMAS_DIR), 'utf8'));
    structureSchema = s as unknown as JsonSchema;
  }
  return structureSchema;
}

interface RawStage { type: string; inputs?: Record<string, string | string[]>; with?: Record<string, unknown>; frozen?: boolean; description?: string; resources?: StageResources }
type RawOut = string | { from: string; link?: ResolvedOut['link'] };
interface RawPipeline {
  name?: string; seed?: number; backend?: string; precision?: MatmulPrecision; vars?: Record<string, unknown>; plugins?: string[];
  on_error?: 'fail' | 'keep-going'; outs?: Record<string, RawOut>; remote?: RemoteSetting; stages: Record<string, RawStage | { foreach: unknown; do: RawStage }>;
  sweep?: SweepSpec;
}

export interface ResolveOptions {
  /** `--set path=value` overrides. */
  sets?: string[];
}

/** Resolves a loaded pipeline file. Throws TrainyardErrorList with every error found. */
export async function resolvePipeline(file: LoadedFile, opts: ResolveOptions = {}): Promise<ResolvedPipeline> {
  const { map } = file;
  const data = (file.data ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw errors.pipelineNotMapping({ file: map.file, ...map.frame([]) });
  }
  applySets(data, opts.sets ?? []);
  const validate = compileSchema(pipelineStructureSchema());
  const problems: TrainyardError[] = [];
  const structureOk = validate(data);
  if (!structureOk) {
    problems.push(...schemaErrors(validate.errors ?? [], map, []));
    // Keep going where the shape allows, so every error is reported at once.
    const stagesValue = (data as Record<string, unknown>).stages;
    if (!stagesValue || typeof stagesValue !== 'object') throw new TrainyardErrorList(problems, `${map.file}: invalid pipeline`);
  }
  const raw = data as unknown as RawPipeline;
  const dir = dirname(file.path);

  const registry = new Registry();
  const pluginPaths: string[] = [];
  for (const [i, spec] of (Array.isArray(raw.plugins) ? raw.plugins : []).entries()) {
    if (typeof spec !== 'string') continue;
    try {
      const { plugin, meta } = await loadPlugin(spec, dir);
      registry.addPlugin(plugin, meta);
      pluginPaths.push(meta.specifier);
    } catch (err) {
      const e = asTrainyardError(err);
      problems.push(new TrainyardError(e.code, e.message, { ...e, file: map.file, ...map.frame(['plugins', i]) }));
    }
  }

  const backend = raw.backend ?? 'auto';
  if (backend !== 'auto' && !registry.find('backend', backend)) {
    const e = registry.unknown('backend', backend);
    problems.push(new TrainyardError(e.code, e.message, { ...e, file: map.file, ...map.frame(['backend']) }));
  }
  const precision = raw.precision ?? 'fp32';
  const named = backend === 'auto' ? undefined : registry.find('backend', backend)?.value;
  // (A value outside the enum is already a schema error.)
  if (named && (precision === 'tf32' || precision === 'bf16')) {
    // A named backend that cannot run it fails here, before anything runs (`auto` is checked when it resolves).
    try {
      checkPrecision(named, precision, registry);
    } catch (err) {
      const e = asTrainyardError(err);
      problems.push(new TrainyardError(e.code, e.message, { ...e, file: map.file, ...map.frame(['precision']) }));
    }
  }

  const scope = { vars: raw.vars ?? {} };
  const stages = new Map<string, ResolvedStage>();
  for (const [name, entry] of Object.entries(raw.stages)) {
    if (!isStageShaped(entry)) continue;
    try {
      for (const s of expand(name, entry, scope, file)) {
        const r = await resolveStage(s.name, s.def, s.origin, registry, file);
        if (r instanceof TrainyardErrorList) problems.push(...r.errors);
        else stages.set(r.name, r);
      }
    } catch (err) {
      if (err instanceof TrainyardErrorList) problems.push(...err.errors);
      else problems.push(asTrainyardError(err));
    }
  }
  if (raw.sweep && structureOk && problems.length === 0) problems.push(...checkSweep(raw.sweep, { stages, vars: scope.vars, map }));
  const outs = resolveOuts(raw.outs, dir, file, problems);
  if (problems.length > 0) throw new TrainyardErrorList(problems, `${map.file}: ${problems.length} error${problems.length === 1 ? '' : 's'}`);
  return {
    name: raw.name ?? file.display, file: file.path, dir, seed: raw.seed ?? 1337, backend, precision,
    onError: raw.on_error ?? 'fail', pluginPaths, plugins: registry.plugins, stages, outs, registry, map,
    remote: raw.remote === undefined ? undefined : remoteSpec(raw.remote, dir, map.file),
    ...(raw.sweep ? { sweep: raw.sweep } : {}),
  };
}

/**
 * `outs:` entries (their shape is schema-checked; references are checked by graph/): each
 * path relative, inside the project, outside `.trainyard/`, and not inside another out.
 */
function resolveOuts(raw: Record<string, RawOut> | undefined, dir: string, file: LoadedFile, problems: TrainyardError[]): ResolvedOut[] {
  if (!raw || typeof raw !== 'object') return [];
  const out: ResolvedOut[] = [];
  for (const [display, v] of Object.entries(raw)) {
    const spec = typeof v === 'string' ? { from: v } : v;
    if (!spec || typeof spec !== 'object' || typeof spec.from !== 'string') continue;
    const at = () => ({ file: file.map.file, ...file.map.frame(['outs', display], { key: true }) });
    const rel = normalize(display);
    const problem = isAbsolute(display) ? 'is absolute'
      : rel === '.' || rel.startsWith(`..${sep}`) || rel === '..' ? 'is not inside the project'
        : rel.split(sep)[0] === '.trainyard' ? 'is inside the cache folder' : undefined;
    const path = resolve(dir, rel);
    const clash = out.find((o) => o.path === path || path.startsWith(o.path + sep) || o.path.startsWith(path + sep));
    if (problem || clash) {
      problems.push(errors.outPath({ path: display, problem: problem ?? `overlaps outs path "${clash!.display}"` }, at()));
      continue;
    }
    out.push({ path, display, ref: spec.from, link: spec.link ?? 'copy', origin: ['outs', display] });
  }
  return out;
}

/** Enough shape to resolve (structure errors are already reported). */
function isStageShaped(e: unknown): e is RawStage | { foreach: unknown; do: RawStage } {
  if (!e || typeof e !== 'object') return false;
  const s = ('foreach' in e ? (e as { do?: unknown }).do : e) as Partial<RawStage> | undefined;
  return !!s && typeof s === 'object' && typeof s.type === 'string' && (s.with === undefined || (typeof s.with === 'object' && !Array.isArray(s.with)));
}

/** DVC-style foreach: one stage per item, named `name@item` (or `name@key` for a map). */
function expand(name: string, entry: RawStage | { foreach: unknown; do: RawStage }, scope: Record<string, unknown>, file: LoadedFile): Array<{ name: string; def: RawStage; origin: Path }> {
  if (!('foreach' in entry)) {
    return [{ name, def: interpolate(entry, scope, file.map, ['stages', name]) as RawStage, origin: ['stages', name] }];
  }
  const origin: Path = ['stages', name, 'do'];
  const items: Array<[string, Record<string, unknown>]> = Array.isArray(entry.foreach)
    ? entry.foreach.map((item, i) => [typeof item === 'object' ? String(i) : String(item), { item }])
    : Object.entries(entry.foreach as Record<string, unknown>).map(([key, item]) => [key, { key, item }]);
  const at = { file: file.map.file, ...file.map.frame(['stages', name, 'foreach']) };
  if (items.length === 0) throw errors.foreachEmpty({ stage: name }, at);
  const seen = new Set<string>();
  for (const [suffix] of items) {
    if (seen.has(suffix)) throw errors.foreachDuplicate({ stage: name, name: `${name}@${suffix}` }, at);
    seen.add(suffix);
  }
  return items.map(([suffix, extra]) => ({
    name: `${name}@${suffix}`,
    def: interpolate(entry.do, { ...scope, ...extra }, file.map, origin) as RawStage,
    origin,
  }));
}

async function resolveStage(name: string, def: RawStage, origin: Path, registry: Registry, file: LoadedFile): Promise<ResolvedStage | TrainyardErrorList> {
  const { map } = file;
  const entry = registry.find('stage', def.type);
  if (!entry) {
    const e = registry.unknown('stage', def.type);
    return new TrainyardErrorList([new TrainyardError(e.code, `Stage "${name}": ${e.message}`, { ...e, file: map.file, ...map.frame([...origin, 'type']) })]);
  }
  const stageDef = await entry.value();
  const options = structuredClone(def.with ?? {});
  const validate = compileSchema(stageDef.schema);
  if (!validate(options)) return new TrainyardErrorList(schemaErrors(validate.errors ?? [], map, [...origin, 'with'], ['stages', name, 'with']));
  if (stageDef.validate) {
    try {
      await stageDef.validate(options, { registry });
    } catch (err) {
      const e = asTrainyardError(err);
      return new TrainyardErrorList([new TrainyardError(e.code, `stages.${name}.with: ${e.message}`, {
        ...e, file: map.file, ...map.frame([...origin, 'with', ...(e.path ?? [])]),
      })]);
    }
  }
  const inputs: Record<string, string[]> = {};
  for (const [port, refs] of Object.entries(def.inputs ?? {})) inputs[port] = Array.isArray(refs) ? refs : [refs];
  return {
    name, type: def.type, def: stageDef, options, inputs, frozen: def.frozen ?? false, ...(def.resources ? { resources: def.resources } : {}),
    plugin: entry.plugin, origin,
  };
}
