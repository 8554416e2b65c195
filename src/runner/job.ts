/**
 * @fileoverview A stage job is plain data: everything a worker needs to run one stage. It is
 * the seam through which stages could run on other machines later.
 */
import type { ArtifactKind, ArtifactRef } from '../artifacts/kinds.js';
import type { MatmulPrecision, Progress } from '../stages/define.js';

export interface StageJob {
  /** Stage name in the pipeline. */
  name: string;
  type: string;
  /** Options with schema defaults applied. */
  options: Record<string, unknown>;
  inputs: Record<string, ArtifactRef[]>;
  outputs: Record<string, { kind: ArtifactKind; dir: string }>;
  checkpointDir: string;
  tmpDir: string;
  cwd: string;
  backend: string;
  /** Matmul precision the stage runs at (its key's `precision`, fp32 when absent). */
  precision: MatmulPrecision;
  seed: number;
  threads: number;
  /** Plugin module specifiers to load before looking up `type` (absolute paths or package names). */
  plugins: string[];
}

/** Messages a worker sends while it runs a job. */
export type JobEvent =
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; message: string }
  | { type: 'progress'; progress: Progress }
  | { type: 'metric'; name: string; value: number; step?: number }
  | { type: 'stats'; values: Record<string, number | string> };
