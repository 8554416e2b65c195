/**
 * @fileoverview Encodes a stream of documents on a TokenizerPool, in order, with a bounded
 * number of batches in flight (memory stays flat on any corpus size).
 */
import type { BpeTokenizer } from './bpe.js';
import { BATCH_CHARS, cutText, type TokenizerPool } from './parallel.js';
import { GPT2_PATTERN } from './pretokenize.js';
import type { Tokenizer } from './types.js';

export interface EncodeSink {
  /** Ids of the next piece of the current document. */
  piece(ids: Uint32Array): void | Promise<void>;
  /** The current document is complete. */
  docEnd(): void | Promise<void>;
}

interface Batch { texts: string[]; ends: boolean[]; chars: number }

/** True when texts may be cut at spaces without changing the ids (see parallel.ts cutText). */
function canCut(tok: Tokenizer): boolean {
  const spec = (tok as Partial<BpeTokenizer>).spec;
  if (!spec) return true; // char-level: every character is independent
  return spec.pattern === undefined || spec.pattern === GPT2_PATTERN;
}

/** Encodes every document of `docs` into `sink`, in input order. */
export async function encodeDocs(pool: TokenizerPool, docs: AsyncIterable<string> | Iterable<string>, sink: EncodeSink,
  signal?: AbortSignal): Promise<void> {
  const cut = pool.tokenizer !== null && canCut(pool.tokenizer);
  const inflight: Array<{ batch: Batch; result: Promise<Uint32Array[]> }> = [];
  const maxInflight = Math.max(2, pool.threads * 2);
  let batch: Batch = { texts: [], ends: [], chars: 0 };
  const drainOne = async (): Promise<void> => {
    const head = inflight.shift()!;
    const ids = await head.result;
    for (let i = 0; i < ids.length; i++) {
      await sink.piece(ids[i]!);
      if (head.batch.ends[i]) await sink.docEnd();
    }
  };
  const flush = async (): Promise<void> => {
    if (batch.texts.length === 0) return;
    inflight.push({ batch, result: pool.encodeBatch(batch.texts) });
    batch = { texts: [], ends: [], chars: 0 };
    while (inflight.length >= maxInflight) await drainOne();
  };
  for await (const doc of docs) {
    signal?.throwIfAborted();
    const pieces = cut ? cutText(doc) : [doc];
    for (let i = 0; i < pieces.length; i++) {
      batch.texts.push(pieces[i]!);
      batch.ends.push(i === pieces.length - 1);
      batch.chars += pieces[i]!.length;
      if (batch.chars >= BATCH_CHARS) await flush();
    }
  }
  await flush();
  while (inflight.length > 0) await drainOne();
}
