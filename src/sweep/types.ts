/**
 * @fileoverview The `sweep:` block of a pipeline (schemas/sweep.schema.json) as the code sees
 * it after ajv applied the defaults, and the trials a sweep records.
 */

export type Direction = 'minimize' | 'maximize';

/** One searched option: a float or int range, or a list of choices. */
export type ParameterSpec =
  | { type: 'float'; low: number; high: number; log: boolean; step?: number; points: number }
  | { type: 'int'; low: number; high: number; log: boolean; step?: number; points: number }
  | { type: 'categorical'; values: unknown[]; log?: boolean; points?: number };

export interface PruneSpec {
  method: 'none' | 'median' | 'asha';
  /** The training stage whose stepped metric is watched. */
  stage?: string;
  metric: string;
  direction: Direction;
  startup_trials: number;
  warmup_steps: number;
  min_steps?: number;
  reduction_factor: number;
}

export interface SweepSpec {
  name?: string;
  method: 'tpe' | 'random' | 'grid';
  trials?: number;
  seed?: number;
  objective: { metric: string; direction: Direction };
  /** Option path (`stages.pretrain.with.lr`) → its range or choices, in file order. */
  parameters: Record<string, ParameterSpec>;
  prune?: PruneSpec;
  tpe?: { startup_trials: number; candidates: number };
}

/** Option path → value of one trial. */
export type Params = Record<string, unknown>;

export type TrialStatus = 'running' | 'complete' | 'pruned' | 'failed';

/** One trial as the sweep state file keeps it. */
export interface Trial {
  /** 0-based, in creation order. */
  number: number;
  params: Params;
  status: TrialStatus;
  /** The objective (complete trials). */
  value?: number;
  /** Step → intermediate metric value, as the training stage reported it. */
  intermediate: Record<string, number>;
  /** The step at which it was pruned, and why. */
  pruned?: { step: number; reason: string };
  error?: string;
  /** Run ids of the pipeline runs this trial took (several after a resume or a promotion). */
  runIds: string[];
  /** Time spent running it, over all its runs. */
  durationMs: number;
}
