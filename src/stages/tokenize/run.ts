/**
 * @fileoverview The tokenize stage's body: build the tokenizer, write tokenizer.json, encode
 * each split on a worker pool into `<split>.bin`, then meta.json and the totals.
 */
import { join } from 'node:path';
import { listSplits } from '../../artifacts/documents.js';
import { dtypeFor, writeTokens, writeTokensMeta } from '../../artifacts/tokens.js';
import { encodeDocs } from '../../tokenizer/encode-stream.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import { TokenizerPool } from '../../tokenizer/parallel.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { StageContext } from '../define.js';
import type { TokenizeOptions } from '../options.gen.js';
import { buildTokenizer, texts } from './build.js';
import { SplitSink } from './sink.js';

/** Builds the tokenizer and encodes every split of `docs` (see index.ts for the picture). */
export async function runTokenize(ctx: StageContext, o: TokenizeOptions): Promise<void> {
  const dir = ctx.inputs.docs![0]!.path;
  const splits = await listSplits(dir);
  let t0 = performance.now();
  const tok = await buildTokenizer(ctx, o, dir, splits);
  const trainSeconds = (performance.now() - t0) / 1000;
  if (tok.eotId === null) ctx.log.warn('tokenize: the tokenizer has no special token, documents are not separated');
  const out = ctx.outputs.tokens!.dir;
  await writeFileAtomic(join(out, 'tokenizer.json'), JSON.stringify(tok.toJSON()));
  t0 = performance.now();
  const counts: Record<string, number> = {};
  let bytes = 0, docs = 0;
  const pool = new TokenizerPool(tok, ctx.threads);
  try {
    for (const split of splits) {
      const r = await encodeSplit(ctx, pool, dir, split);
      await writeTokens(out, split, r.sink.view());
      counts[split] = r.sink.length;
      bytes += r.bytes;
      docs += r.sink.docs;
      ctx.stats({ [`tokens_${split}`]: r.sink.length, [`docs_${split}`]: r.sink.docs });
    }
  } finally {
    await pool.close();
  }
  const encodeSeconds = (performance.now() - t0) / 1000;
  await writeTokensMeta(out, { vocab_size: tok.vocabSize, dtype: dtypeFor(tok.vocabSize), eot_id: tok.eotId, splits: counts, tokenizer: 'tokenizer.json' });
  reportTotals(ctx, tok, counts, bytes, tok.eotId === null ? 0 : docs, trainSeconds, encodeSeconds);
}

async function encodeSplit(ctx: StageContext, pool: TokenizerPool, dir: string, split: string): Promise<{ sink: SplitSink; bytes: number }> {
  const tok = pool.tokenizer!;
  const sink = new SplitSink(dtypeFor(tok.vocabSize) === 'uint32', tok.eotId);
  let bytes = 0;
  async function* counted(): AsyncGenerator<string> {
    for await (const t of texts(ctx, dir, [split])) {
      bytes += Buffer.byteLength(t);
      yield t;
    }
  }
  await encodeDocs(pool, counted(), {
    piece: (ids) => sink.piece(ids),
    docEnd: () => {
      sink.docEnd();
      if (sink.docs % 1000 === 0) ctx.progress({ done: sink.docs, unit: 'docs', message: `encoding ${split}` });
    },
  }, ctx.signal);
  return { sink, bytes };
}

/** `separators`: EOT ids written, left out of bytes/token. */
function reportTotals(ctx: StageContext, tok: Tokenizer, counts: Record<string, number>, bytes: number, separators: number,
  trainSeconds: number, encodeSeconds: number): void {
  const tokens = Object.values(counts).reduce((a, b) => a + b, 0);
  const bytesPerToken = tokens > separators ? bytes / (tokens - separators) : 0;
  ctx.stats({
    vocab_size: tok.vocabSize, tokens_total: tokens, bytes_total: bytes,
    bytes_per_token: Number(bytesPerToken.toFixed(3)),
    tokenizer_seconds: Number(trainSeconds.toFixed(2)),
    encode_mb_per_s: Number((bytes / 1e6 / Math.max(encodeSeconds, 1e-6)).toFixed(2)),
  });
  ctx.metric('bytes_per_token', bytesPerToken);
  ctx.log.info(`tokenize: ${tokens} tokens (${bytesPerToken.toFixed(2)} bytes/token), vocab ${tok.vocabSize}`);
}
