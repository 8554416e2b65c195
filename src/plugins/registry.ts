/**
 * @fileoverview Per-run registries (TF.js registry shape, without its globals): stages,
 * filters, metrics and backends by name. Built-in stages are discovered lazily from
 * `src/stages/<type>/index` so planning never imports a stage's heavy dependencies.
 * A duplicate name warns and says which plugin won; an unknown name lists the known ones.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TrainyardError, didYouMean } from '../errors/index.js';
import type { StageDefinition } from '../stages/define.js';
import type { BackendDefinition, FilterDefinition, FilterFn, MetricDefinition, PluginDefinition } from './define.js';

/** Identity of a loaded plugin; enters the cache keys of stages that use it. */
export interface PluginMeta {
  name: string;
  version: string;
  /** sha256 of the plugin module's source. */
  codeHash: string;
  /** Absolute path or package name it was loaded from. */
  specifier: string;
}

interface Entry<T> { value: T; plugin?: PluginMeta }

const STAGES_DIR = new URL('../stages/', import.meta.url);
const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/** Built-in stage types: every folder of src/stages with an index module. */
export function builtinStageTypes(): string[] {
  const dir = fileURLToPath(STAGES_DIR);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${dir}/${d.name}/index.${EXT}`))
    .map((d) => d.name)
    .sort();
}

/** Read-only view handed to stages through ctx.registry. */
export interface RegistryView {
  filter(name: string): Entry<FilterFn | FilterDefinition<any>> | undefined;
  filterNames(): string[];
  metric(name: string): Entry<MetricDefinition<any>> | undefined;
  metricNames(): string[];
  backend(name: string): Entry<BackendDefinition> | undefined;
  backendNames(): string[];
}

export class Registry implements RegistryView {
  private readonly builtinTypes: string[];
  private readonly stages = new Map<string, Entry<StageDefinition<any>>>();
  private readonly filters = new Map<string, Entry<FilterFn | FilterDefinition<any>>>();
  private readonly metrics = new Map<string, Entry<MetricDefinition<any>>>();
  private readonly backends = new Map<string, Entry<BackendDefinition>>();
  readonly plugins: PluginMeta[] = [];
  /** Warnings about duplicates, for the run log. */
  readonly warnings: string[] = [];

  constructor() {
    this.builtinTypes = builtinStageTypes();
  }

  /** Registers everything a plugin provides. */
  addPlugin(plugin: PluginDefinition, meta: PluginMeta): void {
    this.plugins.push(meta);
    for (const s of plugin.stages ?? []) this.put(this.stages, 'stage', s.type, s, meta);
    for (const [name, f] of Object.entries(plugin.filters ?? {})) this.put(this.filters, 'filter', name, f, meta);
    for (const [name, m] of Object.entries(plugin.metrics ?? {})) this.put(this.metrics, 'metric', name, m, meta);
    for (const b of plugin.backends ?? []) this.put(this.backends, 'backend', b.name, b, meta);
  }

  /** Registers a built-in (non-plugin) backend, filter or metric. */
  addBuiltinBackend(b: BackendDefinition): void { this.backends.set(b.name, { value: b }); }

  private put<T>(map: Map<string, Entry<T>>, what: string, name: string, value: T, plugin: PluginMeta): void {
    const prev = map.get(name);
    if (prev || (what === 'stage' && this.builtinTypes.includes(name))) {
      this.warnings.push(`${what} "${name}" from plugin ${plugin.name} replaces the one from ${prev?.plugin?.name ?? 'trainyard'}`);
    }
    map.set(name, { value, plugin });
  }

  stageTypes(): string[] {
    return [...new Set([...this.builtinTypes, ...this.stages.keys()])].sort();
  }

  /** The plugin that provides a stage type, if any. */
  stagePlugin(type: string): PluginMeta | undefined {
    return this.stages.get(type)?.plugin;
  }

  hasStage(type: string): boolean {
    return this.stages.has(type) || this.builtinTypes.includes(type);
  }

  /** Loads a stage definition; throws E_UNKNOWN_STAGE_TYPE with the known types. */
  async stage(type: string): Promise<StageDefinition<any>> {
    const hit = this.stages.get(type);
    if (hit) return hit.value;
    if (!this.builtinTypes.includes(type)) {
      throw new TrainyardError('E_UNKNOWN_STAGE_TYPE', `Unknown stage type "${type}".${didYouMean(type, this.stageTypes())}`, {
        hint: `Known types: ${this.stageTypes().join(', ')}. A plugin listed under \`plugins:\` can add more.`,
      });
    }
    const mod = (await import(new URL(`${type}/index.${EXT}`, STAGES_DIR).href)) as { default: StageDefinition<any> };
    this.stages.set(type, { value: mod.default });
    return mod.default;
  }

  filter(name: string) { return this.filters.get(name); }
  filterNames() { return [...this.filters.keys()].sort(); }
  metric(name: string) { return this.metrics.get(name); }
  metricNames() { return [...this.metrics.keys()].sort(); }
  backend(name: string) { return this.backends.get(name); }
  backendNames() { return [...this.backends.keys()].sort(); }
}
