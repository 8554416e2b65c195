/**
 * @fileoverview The sft stage's data: conversations (the `data` input or `with.data` files),
 * a validation set (its own file, the input's `validation.jsonl`, or a held-out share), the
 * chat template, the tokenizer with the template's special tokens, and packed windows served
 * as batches whose position is checkpointed (an epoch-shuffled order, exact on resume).
 */
import { resolve } from 'node:path';
import { conversationFiles, readConversationFiles } from '../../artifacts/conversations.js';
import { errors } from '../../errors/index.js';
import type { Conversation } from '../../sft/conversations.js';
import { encodeConversation, type Sample } from '../../sft/encode.js';
import { packSamples, type PackStats, type Window } from '../../sft/pack.js';
import type { BatchSource, TokenBatch } from '../../train/objective.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import { Rng, seedFrom } from '../../util/random.js';
import type { StageContext } from '../define.js';
import type { SftOptions } from '../options.gen.js';
import type { ChatTemplate } from '../../sft/template.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Data files the options name (absolute), for the cache key and for reading. */
export function optionFiles(o: SftOptions, cwd: string): { train: string[]; validation: string[] } {
  return { train: list(o.data).map((f) => resolve(cwd, f)), validation: list(o.validation_data).map((f) => resolve(cwd, f)) };
}

/** Training and validation conversations; validation is a seeded held-out share when no file gives it. */
export async function loadConversations(ctx: StageContext, o: SftOptions): Promise<{ train: Conversation[]; val: Conversation[]; heldOut: boolean }> {
  const input = ctx.inputs.data?.[0]?.path;
  const fromOptions = optionFiles(o, ctx.cwd);
  const files = input ? await conversationFiles(input) : { train: fromOptions.train, validation: [] };
  if (files.train.length === 0) throw errors.sftNoData();
  const train = await readConversationFiles(files.train);
  const valFiles = fromOptions.validation.length ? fromOptions.validation : files.validation;
  if (valFiles.length) return { train, val: await readConversationFiles(valFiles), heldOut: false };
  const rng = new Rng(seedFrom(`${ctx.seed}:${ctx.name}:validation`));
  const order = train.map((c, i) => ({ c, k: rng.next(), i }));
  order.sort((a, b) => a.k - b.k || a.i - b.i);
  const n = Math.max(1, Math.round(train.length * o.validation_fraction));
  if (train.length < 2) throw errors.sftNoData();
  const held = new Set(order.slice(0, n).map((e) => e.i));
  return { train: train.filter((_, i) => !held.has(i)), val: train.filter((_, i) => held.has(i)), heldOut: true };
}

/** Tokenized, masked and packed. */
export function encodeAll(tok: Tokenizer, t: ChatTemplate, convs: Conversation[], o: SftOptions, T: number): { samples: Sample[]; windows: Window[]; stats: PackStats } {
  const samples = convs.map((c) => encodeConversation(tok, t, c, { trainOn: o.train_on }));
  const { windows, stats } = packSamples(samples, T, { packing: o.packing, padId: tok.eotId ?? 0 });
  return { samples, windows, stats };
}

/** Stacks windows into a batch (rows = windows). */
export function toBatch(ws: Window[], T: number): TokenBatch {
  const B = ws.length;
  const x = new Int32Array(B * T), y = new Int32Array(B * T), segment = new Int32Array(B * T), position = new Int32Array(B * T);
  ws.forEach((w, r) => { x.set(w.x, r * T); y.set(w.y, r * T); segment.set(w.segment, r * T); position.set(w.position, r * T); });
  return { x, y, rows: B, cols: T, layout: { segment, position } };
}

/** Validation batches in a fixed order (the last one may be short). */
export function fixedBatches(ws: Window[], batchSize: number, T: number): TokenBatch[] {
  const out: TokenBatch[] = [];
  for (let i = 0; i < ws.length; i += batchSize) out.push(toBatch(ws.slice(i, i + batchSize), T));
  return out;
}

/**
 * Windows in a fresh shuffled order every epoch; the position (windows served so far) is the
 * checkpointed state, and the order of epoch e depends only on (seed, e).
 */
export class WindowSource implements BatchSource<TokenBatch> {
  private served = 0;
  private epoch = -1;
  private order: number[] = [];
  constructor(private readonly windows: Window[], private readonly batchSize: number, private readonly T: number, private readonly seed: number) {}

  next(): TokenBatch {
    const picked: Window[] = [];
    for (let i = 0; i < this.batchSize; i++) picked.push(this.windows[this.at(this.served++)]!);
    return toBatch(picked, this.T);
  }

  private at(k: number): number {
    const W = this.windows.length;
    const e = Math.floor(k / W);
    if (e !== this.epoch) {
      const rng = new Rng(seedFrom(`${this.seed}:epoch:${e}`));
      this.order = [...Array(W).keys()];
      for (let i = W - 1; i > 0; i--) { const j = rng.int(i + 1); [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!]; }
      this.epoch = e;
    }
    return this.order[k % W]!;
  }

  get state(): unknown { return this.served; }
  set state(s: unknown) { this.served = Number(s) || 0; }
}
