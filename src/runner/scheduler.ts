/**
 * @fileoverview The scheduler: which stage starts when, and which are skipped and why. Pure
 * (no I/O): it walks the dependency graph like Nx walks its task graph: a stage starts once
 * every upstream stage has an outcome, in plan order, up to `jobs` at a time, so independent
 * branches run concurrently. Running a stage is the caller's `runStage`.
 *
 *   a ──▶ b ──▶ d        a fails  →  b, d: "upstream a failed"; c: runs with keep-going,
 *   └───▶ c                          else "an earlier stage failed (use --keep-going …)"
 */

/** How a started stage ended; a cached result is `ok`. */
export type StageOutcome = 'ok' | 'failed' | 'cancelled';

/** A stage's outcome once the schedule is over. */
export type ScheduledOutcome = StageOutcome | 'skipped';

export interface ScheduleOptions {
  /** Stages in plan order (every stage after its upstream stages). */
  stages: readonly string[];
  /** The stages a stage reads from; each must be in `stages`. */
  upstream: (name: string) => readonly string[];
  /** Most stages running at once (at least 1). */
  jobs: number;
  /** After a failure, go on starting stages the failure does not affect. */
  keepGoing: boolean;
  /** Once aborted, stages not yet started are skipped: "run cancelled". */
  signal?: AbortSignal;
  /** Once aborted, stages not yet started are skipped: "superseded by a newer change". */
  drain?: AbortSignal;
  /**
   * Runs one stage; must not reject (a failure is `'failed'`). `inFlight` tells how many
   * stages are running now, this one included.
   */
  runStage: (name: string, inFlight: () => number) => Promise<StageOutcome>;
  /** A stage will not run, and why. */
  onSkip?: (name: string, reason: string) => void;
}

/** Runs the graph; resolves with every stage's outcome once none is running. */
export function schedule(opts: ScheduleOptions): Promise<Map<string, ScheduledOutcome>> {
  return new Schedule(opts).run();
}

class Schedule {
  private readonly pending: string[];
  private readonly running = new Map<string, Promise<void>>();
  private readonly upstream = new Map<string, readonly string[]>();
  private readonly outcomes = new Map<string, ScheduledOutcome>();
  private readonly jobs: number;
  private failed = false;
  /** Stages started and not yet ended (counted before `runStage` is called). */
  private inFlight = 0;

  constructor(private readonly opts: ScheduleOptions) {
    this.pending = [...opts.stages];
    this.jobs = Math.max(1, opts.jobs);
    for (const name of opts.stages) this.upstream.set(name, [...new Set(opts.upstream(name))]);
  }

  async run(): Promise<Map<string, ScheduledOutcome>> {
    while (this.pending.length > 0 || this.running.size > 0) {
      const progressed = this.startReady();
      if (this.running.size > 0) await Promise.race(this.running.values());
      else if (!progressed) throw new Error(`scheduler stalled with pending stages: ${this.pending.join(', ')}`);
    }
    return this.outcomes;
  }

  /** Starts (or skips) every stage whose upstream stages are over, while a job slot is free. */
  private startReady(): boolean {
    let progressed = false;
    for (let i = 0; i < this.pending.length && this.running.size < this.jobs;) {
      const name = this.pending[i]!;
      if (this.upstream.get(name)!.some((u) => !this.outcomes.has(u))) { i++; continue; }
      this.pending.splice(i, 1);
      progressed = true;
      const reason = this.skipReason(name);
      if (reason === undefined) this.launch(name);
      else {
        this.outcomes.set(name, 'skipped');
        this.opts.onSkip?.(name, reason);
      }
    }
    return progressed;
  }

  /** Why a ready stage must not start, or undefined when it may. */
  private skipReason(name: string): string | undefined {
    const bad = this.upstream.get(name)!.filter((u) => this.outcomes.get(u) !== 'ok');
    if (bad.length > 0) {
      const word = bad.every((u) => this.outcomes.get(u) === 'cancelled') ? 'was cancelled' : 'failed';
      return `upstream ${bad.join(', ')} ${word}`;
    }
    if (this.opts.signal?.aborted) return 'run cancelled';
    if (this.opts.drain?.aborted) return 'superseded by a newer change';
    if (this.failed && !this.opts.keepGoing) return 'an earlier stage failed (use --keep-going to run unaffected stages)';
    return undefined;
  }

  private launch(name: string): void {
    this.inFlight += 1;
    const done = this.opts.runStage(name, () => this.inFlight).then((outcome) => {
      this.outcomes.set(name, outcome);
      if (outcome !== 'ok') this.failed = true;
    });
    this.running.set(name, done.finally(() => {
      this.inFlight -= 1;
      this.running.delete(name);
    }));
  }
}
