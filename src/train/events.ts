/**
 * @fileoverview A training stage's TensorBoard event log (`with: { tensorboard: true }`):
 * every per-step metric the stage records (loss, val_loss, lr, grad_norm, tokens_per_s, the
 * reward/DPO pair statistics, PPO's rollout metrics) as a scalar, and the stage's options as
 * a Markdown table (Text tab).
 *
 * The log lives in `<checkpoint folder>/tensorboard/` while the stage trains, so that
 * `tensorboard --logdir .trainyard/checkpoints` follows it live and it survives a crash with
 * the checkpoints; at the end it is copied into the output (`<model>/tensorboard/`), which
 * `outs:` exports with the model. A resumed session (crash, Ctrl-C, raised `steps`) starts a
 * new file, and first drops what earlier files logged after the step it resumed from (those
 * steps are trained again), plus any damaged tail, so each tag has each step once.
 *
 *   const events = trainingEvents(stageCtx, o);  // off unless o.tensorboard
 *   const ctx = events.context;                   // ctx.metric(…, step) also logs here
 *   await trainSession(ctx, trainer, { …, events });
 *   await events.exportTo(ctx.outputs.model!.dir);
 */
import { existsSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { EventFileWriter, eventFilesIn, readEventFile, rewriteEventFile } from '../tensorboard/index.js';
import { flattenParams } from '../util/flatten.js';

/** The folder of the log inside the checkpoint folder and inside the output. */
export const TENSORBOARD_DIR = 'tensorboard';
/** Tag of the options table. */
export const OPTIONS_TAG = 'options';

interface MetricSink { metric(name: string, value: number, step?: number): void }

export interface EventsHost extends MetricSink {
  readonly checkpointDir: string;
  readonly log: { info(msg: string): void; warn(msg: string): void };
}

/** The event log of a stage whose options have `tensorboard` (a disabled one when it is not true). */
export function trainingEvents<C extends EventsHost>(ctx: C, options: { tensorboard?: boolean }): TrainingEvents<C> {
  return new TrainingEvents(ctx, options.tensorboard === true, options);
}

export class TrainingEvents<C extends EventsHost = EventsHost> {
  /** Where the live log is written. */
  readonly dir: string;
  /** The stage context, with `metric(name, value, step)` also logged here when enabled. */
  readonly context: C;
  private writer: EventFileWriter | null = null;
  /** Metrics recorded before start(), written then. */
  private pending: Array<[string, number, number]> = [];
  /** The last step logged per tag (earlier files included): a step at or below it is a repeat. */
  private last = new Map<string, number>();

  constructor(private readonly host: C, readonly enabled: boolean, private readonly options: object) {
    this.dir = join(host.checkpointDir, TENSORBOARD_DIR);
    this.context = enabled ? { ...host, metric: (name: string, value: number, step?: number) => { host.metric(name, value, step); if (step !== undefined) this.scalar(name, value, step); } } : host;
  }

  /**
   * Opens the log for a session that starts at `step` (the step resumed from, 0 when fresh):
   * trims what earlier sessions logged past it, then writes the options table at `step`.
   */
  start(step: number): void {
    if (!this.enabled || this.writer) return;
    const earlier = this.trim(step);
    if (step > 0 && earlier === 0) {
      this.host.log.warn(`tensorboard: the event log starts at step ${step}: the steps before were trained without it (--force retrains with a full log)`);
    }
    this.writer = new EventFileWriter(this.dir);
    this.host.log.info(`tensorboard: event log written as it trains; follow it with: tensorboard --logdir ${this.dir}`);
    this.write(OPTIONS_TAG, step, (w) => w.text(OPTIONS_TAG, optionsTable(this.options), step));
    for (const [tag, value, s] of this.pending.splice(0)) this.scalar(tag, value, s);
  }

  /** Logs a scalar once per (tag, step). */
  scalar(tag: string, value: number, step: number): void {
    if (!this.enabled) return;
    if (!this.writer) this.pending.push([tag, value, step]);
    else this.write(tag, step, (w) => w.scalar(tag, value, step));
  }

  private write(tag: string, step: number, put: (w: EventFileWriter) => void): void {
    if (step <= (this.last.get(tag) ?? -Infinity)) return;
    put(this.writer!);
    this.last.set(tag, step);
  }

  /** Drops events after `step` (and damaged tails) from earlier files; returns how many summary events are kept. */
  private trim(step: number): number {
    let kept = 0;
    for (const path of eventFilesIn(this.dir)) {
      const { events, damage } = readEventFile(path);
      const keep = events.filter((e) => e.step <= step || !e.summary);
      const summaries = keep.filter((e) => e.summary);
      if (summaries.length === 0) rmSync(path, { force: true });
      else if (keep.length < events.length || damage) rewriteEventFile(path, keep);
      const dropped = events.length - keep.length;
      if (dropped > 0 || damage) {
        this.host.log.info(`tensorboard: resuming at step ${step}: dropped ${dropped} event(s) logged after it${damage ? ` and ${damage}` : ''} from ${path}`);
      }
      kept += summaries.length;
      for (const e of summaries) for (const v of e.summary!.value) this.last.set(v.tag, Math.max(this.last.get(v.tag) ?? -Infinity, e.step));
    }
    return kept;
  }

  /** Closes the file (idempotent; the stage calls it in `finally`). */
  close(): void {
    this.writer?.close();
    this.writer = null;
  }

  /** Closes the log and copies it into `<outDir>/tensorboard/`. */
  async exportTo(outDir: string): Promise<void> {
    if (!this.enabled) return;
    this.close();
    if (existsSync(this.dir)) await cp(this.dir, join(outDir, TENSORBOARD_DIR), { recursive: true, filter: (src) => !src.endsWith('.tmp') });
  }
}

/** The options as a two-column Markdown table (nested options as dotted paths). */
export function optionsTable(options: object): string {
  const rows = Object.entries(flattenParams(options)).sort(([a], [b]) => a.localeCompare(b));
  const cell = (v: unknown) => String(typeof v === 'string' ? v : JSON.stringify(v)).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return ['| option | value |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)].join('\n');
}
