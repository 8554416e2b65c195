/**
 * @fileoverview The per-run registry (TF.js registry shape, without its globals): stage types,
 * filter rules, metrics and backends, each registered with `register(kind, name, value, plugin?)`
 * and looked up with `get(kind, name)` (did-you-mean on a miss), `find` or `names`. Built-ins
 * are registered the same way plugins are, when the registry is built; a plugin entry may
 * replace a built-in (or another plugin's) of the same name, with a warning naming the winner.
 *
 * Stage types are registered as loaders: built-in ones are discovered from
 * `src/stages/<type>/index` and imported on first use, so building a registry and planning
 * never import a stage's module, let alone its heavy dependencies.
 *
 *   const registry = new Registry();
 *   registry.addPlugin(plugin, meta);
 *   const stage = await registry.get('stage', 'filter').value();
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_BACKENDS } from '../backends/builtin.js';
import { errors, type TrainyardError } from '../errors/index.js';
import { BUILTIN_METRICS } from '../metrics/builtin.js';
import type { StageDefinition } from '../stages/define.js';
import { BUILTIN_FILTERS } from '../stages/filter/rules/index.js';
import type { ComponentValues, Entry, PluginMeta, RegistryView } from './contracts.js';
import type { PluginDefinition } from './define.js';

export type { Entry, PluginMeta, RegistryView } from './contracts.js';

/** Imports a stage definition on first use. */
export type StageLoader = () => Promise<StageDefinition<any>>;

/** What each kind registers: the component kinds of RegistryView plus stage loaders. */
export interface KindValues extends ComponentValues {
  stage: StageLoader;
}

export type Kind = keyof KindValues;

interface KindInfo {
  /** Names accepted besides the registered ones (listed first). */
  aliases?: string[];
  /** List known names sorted (true) or in registration order. */
  sorted: boolean;
  /** The kind's error for a name it lacks (src/errors/messages/config.ts). */
  unknown(name: string, known: string[]): TrainyardError;
}

const KINDS: Record<Kind, KindInfo> = {
  stage: { sorted: true, unknown: (type, known) => errors.unknownStageType({ type, known }) },
  filter: { sorted: true, unknown: (rule, known) => errors.unknownRule({ rule, known }) },
  metric: { sorted: true, unknown: (metric, known) => errors.unknownMetric({ metric, known }) },
  reward: { sorted: true, unknown: (reward, known) => errors.unknownReward({ reward, known }) },
  backend: { aliases: ['auto'], sorted: false, unknown: (backend, known) => errors.unknownBackend({ backend, known }) },
};

const STAGES_DIR = new URL('../stages/', import.meta.url);
const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/** Built-in stage types: every folder of src/stages with an index module, sorted. */
export function builtinStageTypes(): string[] {
  const dir = fileURLToPath(STAGES_DIR);
  // A single-file bundle (bench/gpu-pack.mjs) has no stage folders: no built-in stages there.
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${dir}/${d.name}/index.${EXT}`))
    .map((d) => d.name)
    .sort();
}

function builtinStageLoader(type: string): StageLoader {
  return async () => ((await import(new URL(`${type}/index.${EXT}`, STAGES_DIR).href)) as { default: StageDefinition<any> }).default;
}

export class Registry implements RegistryView {
  private readonly entries: { [K in Kind]: Map<string, Entry<KindValues[K]>> } = {
    stage: new Map(), filter: new Map(), metric: new Map(), reward: new Map(), backend: new Map(),
  };
  readonly plugins: PluginMeta[] = [];
  /** Warnings about replaced entries, for the run log. */
  readonly warnings: string[] = [];

  /** A registry holding the built-in stage types, filter rules, metrics and backends. */
  constructor() {
    for (const type of builtinStageTypes()) this.register('stage', type, builtinStageLoader(type));
    for (const f of BUILTIN_FILTERS) this.register('filter', f.name, f);
    for (const m of Object.values(BUILTIN_METRICS)) this.register('metric', m.name, m);
    for (const b of BUILTIN_BACKENDS) this.register('backend', b.name, b);
  }

  /** Registers one value; replacing an existing name keeps the new one and records a warning. */
  register<K extends Kind>(kind: K, name: string, value: KindValues[K], plugin?: PluginMeta): void {
    const map = this.entries[kind] as Map<string, Entry<KindValues[K]>>;
    const prev = map.get(name);
    if (prev) {
      this.warnings.push(`${kind} "${name}" from ${plugin ? `plugin ${plugin.name}` : 'trainyard'} replaces the one from ${prev.plugin?.name ?? 'trainyard'}`);
    }
    map.set(name, { name, value, plugin });
  }

  /** Registers everything a plugin provides. */
  addPlugin(plugin: PluginDefinition, meta: PluginMeta): void {
    this.plugins.push(meta);
    for (const s of plugin.stages ?? []) this.register('stage', s.type, () => Promise.resolve(s), meta);
    for (const [name, f] of Object.entries(plugin.filters ?? {})) this.register('filter', name, f, meta);
    for (const [name, m] of Object.entries(plugin.metrics ?? {})) this.register('metric', name, m, meta);
    for (const [name, r] of Object.entries(plugin.rewards ?? {})) this.register('reward', name, r, meta);
    for (const b of plugin.backends ?? []) this.register('backend', b.name, b, meta);
  }

  find<K extends Kind>(kind: K, name: string): Entry<KindValues[K]> | undefined {
    return (this.entries[kind] as Map<string, Entry<KindValues[K]>>).get(name);
  }

  get<K extends Kind>(kind: K, name: string): Entry<KindValues[K]> {
    const hit = this.find(kind, name);
    if (hit) return hit;
    throw this.unknown(kind, name);
  }

  names(kind: Kind): string[] {
    return [...this.entries[kind].keys()];
  }

  /** The error for a name no entry of `kind` has: did-you-mean and the known names. */
  unknown(kind: Kind, name: string): TrainyardError {
    const info = KINDS[kind];
    const names = this.names(kind);
    const known = [...(info.aliases ?? []), ...(info.sorted ? names.sort() : names)];
    return info.unknown(name, known);
  }
}

let builtins: Registry | undefined;

/** A shared registry of the built-ins only, for lookups made without a run's registry. */
export function builtinRegistry(): RegistryView {
  builtins ??= new Registry();
  return builtins;
}
