/**
 * @fileoverview The resolved pipeline: what `config/` hands to `graph/`. Plain data plus the
 * stage definitions and the source map for positioned errors.
 */
import type { RemoteSpec } from '../cache/remote/cache.js';
import type { MatmulPrecision, PluginMeta } from '../plugins/contracts.js';
import type { Registry } from '../plugins/registry.js';
import type { StageDefinition } from '../stages/define.js';
import type { Path, SourceMap } from './source-map.js';
import type { SweepSpec } from '../sweep/types.js';

/** A stage's `resources:` (schemas/pipeline.schema.json). */
export interface StageResources {
  gpus?: number;
  cpus?: number;
  /** As sbatch --mem takes it: `16G`. */
  memory?: string;
  /** As sbatch --time takes it: `2:00:00`. */
  time?: string;
  tags?: string[];
}

export interface ResolvedStage {
  name: string;
  type: string;
  def: StageDefinition<any>;
  /** Options with schema defaults applied. */
  options: Record<string, unknown>;
  /** Input port → references as written (`clean`, `split.train`, `clean@a`). */
  inputs: Record<string, string[]>;
  frozen: boolean;
  /** What the stage needs from the machine that runs it (distributed executors); not in the cache key. */
  resources?: StageResources;
  /** The plugin that provides this stage type, if any. */
  plugin?: PluginMeta;
  /** Where the stage's definition sits in the YAML (for errors). */
  origin: Path;
}

/** A pipeline-level `outs:` entry: a workspace path kept in sync with a stage's result. */
export interface ResolvedOut {
  /** Absolute path. */
  path: string;
  /** The key as written in the file. */
  display: string;
  /** `stage` or `stage.output`. */
  ref: string;
  link: 'copy' | 'hardlink' | 'symlink';
  /** Where the entry sits in the YAML (for errors). */
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
  /** Matmul precision of the stages that declare `matmulPrecision` (pipeline `precision:`, default fp32). */
  precision: MatmulPrecision;
  onError: 'fail' | 'keep-going';
  /** Plugin module paths, for the workers to load. */
  pluginPaths: string[];
  plugins: PluginMeta[];
  stages: Map<string, ResolvedStage>;
  /** The pipeline's `remote:` cache, its folder made absolute (see cache/remote/open.ts for overrides). */
  remote?: RemoteSpec;
  /** Pipeline-level `outs:`, in file order. */
  outs: ResolvedOut[];
  registry: Registry;
  map: SourceMap;
  /** The `sweep:` block, defaults applied (`trainyard sweep`); it enters no stage's cache key. */
  sweep?: SweepSpec;
}
