/**
 * @fileoverview The report model: everything `trainyard report` shows, gathered from a run
 * record, the store manifests, the run histories and the sweep state (./gather.ts), as plain
 * data. The page (./page.ts) and the charts (./charts.ts) are pure functions of it.
 */

/** One stage of the run: a node of the DAG and a row of the timing table. */
export interface ReportStage {
  name: string;
  /** Stage type (`filter`), from its manifest; absent when the entry is gone. */
  type?: string;
  /** `done`, `cached`, `failed`, `cancelled`, `skipped`. */
  status: string;
  /** Time the stage took in this run; for a cached stage, the time it took when it was computed. */
  durationMs?: number;
  /** True when `durationMs` is the original compute time of a cached stage. */
  durationFromCache?: boolean;
  backend?: string;
  key?: string;
  /** Upstream stages (DAG edges into this one). */
  inputs: string[];
}

/** One step of the data funnel: documents a rule (or reason) removed. */
export interface FunnelRow {
  /** `filter`, `dedupe`, `clean`. */
  stage: string;
  /** `length`, `exact`, `empty_after_html`. */
  rule: string;
  docs: number;
  bytes?: number;
  /** Sub-reasons with their counts (`too_short_chars: 7`). */
  reasons: Record<string, number>;
  /** A few of the removed documents. */
  examples: FunnelExample[];
}

export interface FunnelExample {
  id: string;
  /** The start of the text (at most a few hundred characters). */
  text: string;
  /** `value 8705 < threshold 9000`, `duplicate of doc-3 (near)`. */
  why: string;
}

/** Documents going into and out of each data stage, in pipeline order. */
export interface FunnelStage { stage: string; type: string; docsIn: number; docsOut: number }

export interface Funnel { stages: FunnelStage[]; rows: FunnelRow[] }

/** Stepped metrics of one training stage: metric → [step, value] points, ascending steps. */
export interface TrainingCurves {
  stage: string;
  series: Record<string, Array<[number, number]>>;
  /** Samples the stage generated while training (`sample at step N`). */
  samples: Array<{ step: number; text: string }>;
}

export interface EvalMetric { stage: string; name: string; value: number; stderr?: number }

export interface EvalSample { stage: string; prompt: string; completion: string }

/** One trial of a sweep. */
export interface SweepTrialRow {
  number: number;
  status: string;
  params: Record<string, unknown>;
  value?: number;
  /** The last intermediate value (what a pruned trial was judged on) and its step. */
  last?: { step: number; value: number };
  intermediate: Array<[number, number]>;
  prunedReason?: string;
  durationMs: number;
}

export interface SweepReport {
  name: string;
  objective: string;
  direction: 'minimize' | 'maximize';
  /** Parameter paths in file order, with their kind. */
  parameters: Array<{ path: string; kind: 'float' | 'int' | 'categorical'; log: boolean; values?: unknown[] }>;
  trials: SweepTrialRow[];
  wallMs: number;
  /** The trial this report's run belongs to, when it is one. */
  currentTrial?: number;
}

/** The whole report. */
export interface ReportModel {
  runId: string;
  pipeline: string;
  ok: boolean;
  durationMs?: number;
  counts: Record<string, number>;
  git?: { commit: string; dirty: boolean } | null;
  version?: string;
  backend?: string;
  trial?: { name: string; trial: number; params: Record<string, unknown> };
  stages: ReportStage[];
  funnel: Funnel;
  curves: TrainingCurves[];
  evalMetrics: EvalMetric[];
  samples: EvalSample[];
  sweep?: SweepReport;
  /** Things the report could not show and why (an evicted store entry …). */
  notes: string[];
}
