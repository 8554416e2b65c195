/**
 * @fileoverview Preference pairs for the reward and dpo stages: the `data` input (a
 * preferences artifact) or `with.data` files; held-out pairs from `with.validation_data`, the
 * artifact's validation.jsonl (else test.jsonl), or a seeded share of the training pairs;
 * then tokenized and fitted to the window (src/preferences/encode.ts).
 */
import { resolve } from 'node:path';
import { errors } from '../../errors/index.js';
import { preferenceFiles, readPreferenceFiles, type PreferencePair } from '../../preferences/data.js';
import { encodePair, type EncodedPair } from '../../preferences/encode.js';
import type { ChatTemplate } from '../../sft/template.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import { Rng, seedFrom } from '../../util/random.js';
import type { StageContext } from '../define.js';
import { stepsOf, type OptimOptions } from './common.js';

/** The data options reward and dpo share. */
export interface PairDataOptions {
  data?: string | string[];
  validation_data?: string | string[];
  validation_fraction: number;
  max_length: number;
  max_prompt_length: number;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Data files the options name (absolute), for the cache key and for reading. */
export function optionFiles(o: PairDataOptions, cwd: string): { train: string[]; validation: string[] } {
  return { train: list(o.data).map((f) => resolve(cwd, f)), validation: list(o.validation_data).map((f) => resolve(cwd, f)) };
}

/** Training and held-out pairs; held out is a seeded share when no file gives it. */
export async function loadPairs(ctx: StageContext, o: PairDataOptions, type: string): Promise<{ train: PreferencePair[]; val: PreferencePair[]; heldOut: boolean }> {
  const input = ctx.inputs.data?.[0]?.path;
  const fromOptions = optionFiles(o, ctx.cwd);
  const files = input ? await preferenceFiles(input) : { train: fromOptions.train, validation: [], test: [] };
  if (files.train.length === 0) throw errors.preferencesNoData({ type });
  const train = await readPreferenceFiles(files.train);
  const valFiles = fromOptions.validation.length ? fromOptions.validation : files.validation.length ? files.validation : files.test;
  if (valFiles.length) return { train, val: await readPreferenceFiles(valFiles), heldOut: false };
  if (train.length < 2) throw errors.preferencesNoData({ type });
  const rng = new Rng(seedFrom(`${ctx.seed}:${ctx.name}:validation`));
  const order = train.map((p, i) => ({ k: rng.next(), i })).sort((a, b) => a.k - b.k || a.i - b.i);
  const held = new Set(order.slice(0, Math.max(1, Math.round(train.length * o.validation_fraction))).map((e) => e.i));
  return { train: train.filter((_, i) => !held.has(i)), val: train.filter((_, i) => held.has(i)), heldOut: true };
}

/** Window length: max_length, or the model's block size; E_SCHEMA past the block size. */
export function windowLength(o: PairDataOptions, blockSize: number, type: string): number {
  const T = o.max_length > 0 ? o.max_length : blockSize;
  if (T > blockSize) throw errors.preferenceBlockSize({ type, blockSize: T, model: blockSize });
  return T;
}

/** Tokenizes and fits every pair; counts the truncated ones. */
export function encodePairs(tok: Tokenizer, template: ChatTemplate, pairs: PreferencePair[], o: PairDataOptions, T: number): { pairs: EncodedPair[]; truncated: number } {
  let truncated = 0;
  const out = pairs.map((p) => {
    const e = encodePair(tok, p, { maxLength: T, maxPromptLength: o.max_prompt_length > 0 ? o.max_prompt_length : Math.floor(T / 2), template });
    if (e.truncated) truncated++;
    return e;
  });
  return { pairs: out, truncated };
}

/** What the reward and dpo stages read before training: window length, the pairs encoded, the pad id and the step count. */
export async function preparePairs(ctx: StageContext, o: PairDataOptions & OptimOptions, sp: { tokenizer: Tokenizer; template: ChatTemplate; config: { block_size: number } }, type: string) {
  const T = windowLength(o, sp.config.block_size, type);
  const data = await loadPairs(ctx, o, type);
  const train = encodePairs(sp.tokenizer, sp.template, data.train, o, T);
  const val = encodePairs(sp.tokenizer, sp.template, data.val, o, T);
  return { T, data, train, val, padId: sp.tokenizer.eotId ?? 0, steps: stepsOf(o, train.pairs.length) };
}

