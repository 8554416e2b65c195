/**
 * @fileoverview Builds the tokenizer the tokenize stage encodes with: trains a byte-level BPE
 * (word counting spread over worker threads), builds a char vocabulary, or loads a
 * pretrained file.
 */
import { isAbsolute, resolve } from 'node:path';
import { newIssues, readDocuments } from '../../artifacts/documents.js';
import { errors } from '../../errors/index.js';
import type { StageContext } from '../define.js';
import type { TokenizeOptions } from '../options.gen.js';

import * as lib from '../../tokenizer/index.js';

type Tok = lib.Tokenizer;

/** Texts of the given splits (all splits when `splits` is empty), skipping empty documents and lines that are not documents. */
export async function* texts(ctx: StageContext, dir: string, splits: string[]): AsyncGenerator<string> {
  for (const split of splits) {
    for await (const doc of readDocuments(dir, split, newIssues())) {
      ctx.signal.throwIfAborted();
      if (doc.text.length > 0) yield doc.text;
    }
  }
}

/** The split(s) that train the tokenizer. */
function trainSplits(option: string, splits: string[]): string[] {
  if (option === 'auto') return splits.includes('train') ? ['train'] : splits;
  if (!splits.includes(option)) {
    throw errors.tokenizeTrainOn({ option, splits });
  }
  return [option];
}

export async function buildTokenizer(ctx: StageContext, o: TokenizeOptions, dir: string, splits: string[]): Promise<Tok> {
  if (o.mode === 'pretrained') {
    if (!o.pretrained) {
      throw errors.tokenizePretrainedMissing();
    }
    const name = o.pretrained;
    const path = (lib.PRETRAINED_NAMES as readonly string[]).includes(name) || isAbsolute(name) ? name : resolve(ctx.cwd, name);
    return lib.loadTokenizer(path);
  }
  if (o.pretrained) ctx.log.warn(`tokenize: pretrained is ignored in mode "${o.mode}"`);
  if (o.mode === 'char') {
    const all: string[] = [];
    for await (const t of texts(ctx, dir, splits)) all.push(t);
    return lib.charTokenizer(all, { specialTokens: o.special_tokens });
  }
  return trainBpeParallel(ctx, o, dir, trainSplits(o.train_on, splits));
}

async function trainBpeParallel(ctx: StageContext, o: TokenizeOptions, dir: string, splits: string[]): Promise<Tok> {
  const tok = await lib.trainBpe(texts(ctx, dir, splits), {
    vocabSize: o.vocab_size, minFrequency: o.min_frequency, specialTokens: o.special_tokens, threads: ctx.threads,
    onCountProgress: (docs) => ctx.progress({ done: docs, unit: 'docs', message: 'counting words' }),
    onProgress: (done, total) => ctx.progress({ done, total, unit: 'merges' }),
  });
  const merges = tok.vocabSize - o.special_tokens.length - 256;
  ctx.log.info(`tokenize: trained ${merges} merges on ${splits.join(', ')}`);
  if (tok.vocabSize < o.vocab_size) ctx.log.info(`tokenize: stopped at vocab ${tok.vocabSize}: no pair occurs ${o.min_frequency}+ times`);
  return tok;
}
