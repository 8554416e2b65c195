/**
 * @fileoverview PPO as a batch source for the shared Trainer: `prepare()` (awaited by the loop
 * before each step) runs a new rollout when the current buffer is used up; `next()` serves the
 * buffer's minibatches, K epochs in a fresh seeded order each. The checkpointed `state` holds
 * the buffer itself, the position in it, β and the iteration's running statistics, so a
 * resume mid-iteration continues on exactly the same data (the policy that sampled it is gone).
 *
 *   iteration i:  rollout(B prompts) → epochs × (B / mini_batch) minibatches → metrics at step (i+1)·S
 */
import { Rng, seedFrom } from '../../util/random.js';
import type { BatchSource } from '../../train/objective.js';
import type { KlController } from '../../rl/index.js';
import { packRows, type SeqBatch, type Suppress } from './policy.js';
import type { RolloutBuffer } from './rollout.js';

/** One minibatch: rows packed for the forward pass and the rollout's per-token arrays [N]. */
export interface PpoBatch {
  seq: SeqBatch;
  oldLogp: Float32Array;
  oldValues: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  iteration: number;
  /** The iteration's last minibatch (its statistics are then logged). */
  last: boolean;
}

export interface SourceConfig {
  /** Rollouts per iteration. */
  batchSize: number;
  miniBatchSize: number;
  epochs: number;
  /** Optimizer steps per iteration (epochs · batch / (mini_batch · grad_accum)). */
  stepsPerIteration: number;
  seed: number;
  /** End tokens masked before min_new_tokens, as when the rollout was sampled. */
  suppress?: Suppress;
}

interface SourceState {
  next_iteration: number;
  served: number;
  beta: number;
  buffer: RolloutBuffer | null;
  sums: Record<string, number>;
  count: number;
}

export class RolloutSource implements BatchSource<PpoBatch> {
  private s: SourceState;
  private offsets: number[] = [];

  constructor(
    private readonly c: SourceConfig,
    private readonly kl: KlController,
    private readonly doRollout: (iteration: number, beta: number) => Promise<RolloutBuffer>,
    private readonly emit: (iteration: number, step: number, values: Record<string, number>, buffer: RolloutBuffer) => void,
  ) {
    this.s = { next_iteration: 0, served: 0, beta: kl.value, buffer: null, sums: {}, count: 0 };
  }

  private get perIteration(): number {
    return this.c.epochs * Math.ceil(this.c.batchSize / this.c.miniBatchSize);
  }

  /** A new rollout when there is no buffer or it is used up; β updated from its KL afterwards (Ziegler). */
  async prepare(): Promise<void> {
    if (this.s.buffer && this.s.served < this.perIteration) return;
    const it = this.s.next_iteration;
    const buffer = await this.doRollout(it, this.kl.value);
    this.kl.update(buffer.stats.kl!, this.c.batchSize);
    this.s = { next_iteration: it + 1, served: 0, beta: this.kl.value, buffer, sums: {}, count: 0 };
    this.index();
  }

  private index(): void {
    let k = 0;
    this.offsets = (this.s.buffer?.rows ?? []).map((r) => { const o = k; k += r.response.length; return o; });
  }

  next(): PpoBatch {
    const buf = this.s.buffer;
    if (!buf || this.s.served >= this.perIteration) throw new Error('PPO buffer used up: prepare() must run before each step');
    const nMb = Math.ceil(this.c.batchSize / this.c.miniBatchSize);
    const epoch = Math.floor(this.s.served / nMb), k = this.s.served % nMb;
    const order = [...buf.rows.keys()];
    const rng = new Rng(seedFrom(`${this.c.seed}:minibatch:${buf.iteration}:${epoch}`));
    for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    const picked = order.slice(k * this.c.miniBatchSize, (k + 1) * this.c.miniBatchSize);
    const take = (a: number[]) => Float32Array.from(picked.flatMap((r) => a.slice(this.offsets[r], this.offsets[r]! + buf.rows[r]!.response.length)));
    this.s.served += 1;
    return {
      seq: packRows(picked.map((r) => buf.rows[r]!), 0, this.c.suppress), oldLogp: take(buf.logp), oldValues: take(buf.values),
      advantages: take(buf.advantages), returns: take(buf.returns), iteration: buf.iteration, last: this.s.served === this.perIteration,
    };
  }

  /** Adds one minibatch's training statistics; on the iteration's last, logs the iteration. */
  observe(b: PpoBatch, stats: Record<string, number>): void {
    for (const [k, v] of Object.entries(stats)) this.s.sums[k] = (this.s.sums[k] ?? 0) + v;
    this.s.count += 1;
    if (!b.last || !this.s.buffer) return;
    const avg = Object.fromEntries(Object.entries(this.s.sums).map(([k, v]) => [k, v / this.s.count]));
    this.emit(b.iteration, (b.iteration + 1) * this.c.stepsPerIteration, { ...this.s.buffer.stats, ...avg }, this.s.buffer);
  }

  /** The latest rollout (for the report). */
  get buffer(): RolloutBuffer | null { return this.s.buffer; }

  get state(): unknown { return this.s; }
  set state(v: unknown) {
    this.s = structuredClone(v as SourceState);
    this.kl.value = this.s.beta;
    this.index();
  }
}
