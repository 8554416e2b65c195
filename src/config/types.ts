/**
 * @fileoverview The resolved pipeline: what `config/` hands to `graph/`. Plain data plus the
 * stage definitions and the source map for positioned errors.
 */
import type { PluginMeta } from '../plugins/contracts.js';
import type { Registry } from '../plugins/registry.js';
import type { StageDefinition } from '../stages/define.js';
import type { Path, SourceMap } from './source-map.js';
import type { SweepSpec } from '../sweep/types.js';

export interface ResolvedStage {
  name: string;
  type: string;
  def: StageDefinition<any>;
  /** Options with schema defaults applied. */
  options: Record<string, unknown>;
  /** Input port → references as written (`clean`, `split.train`, `clean@a`). */
  inputs: Record<string, string[]>;
  frozen: boolean;
  /** The plugin that provides this stage type, if any. */
  plugin?: PluginMeta;
  /** Where the stage's definition sits in the YAML (for errors). */
  origin: Path;
}

export interface ResolvedPipeline {
  name: string;
  /** Absolute path of the pipeline file. */
  file: string;
  /** Folder of the pipeline file (relative paths resolve against it). */
  dir: string;
  seed: number;
  backend: string;
  onError: 'fail' | 'keep-going';
  /** Plugin module paths, for the workers to load. */
  pluginPaths: string[];
  plugins: PluginMeta[];
  stages: Map<string, ResolvedStage>;
  registry: Registry;
  map: SourceMap;
  /** The `sweep:` block, defaults applied (`trainyard sweep`); it enters no stage's cache key. */
  sweep?: SweepSpec;
}
