/**
 * Tokenizer benchmarks (`npm run bench -- tokenizer`):
 *  (a) encode throughput (MB/s) on the whole State of the Union corpus (~10.8 MB) with GPT-2's
 *      vocabulary: ours on one thread and on two workers, js-tiktoken, tiktoken (wasm) and
 *      gpt-tokenizer, with ratios. Every encoder gets a fresh instance, a warm-up pass on Moby
 *      Dick (JIT), then one timed pass over SOTU; all must agree on the token count.
 *  (b) BPE training time to vocab 8192 on SOTU (1 and 2 threads), and peak RSS.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer, trainBpe } from '../src/tokenizer/index.js';
import { TokenizerPool } from '../src/tokenizer/parallel.js';
import { encodeDocs } from '../src/tokenizer/encode-stream.js';

function corpus(name: string): string[] {
  const dir = join(process.cwd(), 'node_modules', '@stdlib', name, 'data');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
}

interface Row { name: string; seconds: number; tokens: number }

async function time(name: string, warm: () => unknown | Promise<unknown>, run: () => number | Promise<number>): Promise<Row> {
  await warm();
  const t0 = performance.now();
  const tokens = await run();
  return { name, seconds: (performance.now() - t0) / 1000, tokens };
}

async function encodeBench(sotu: string[], moby: string[]): Promise<void> {
  const mb = sotu.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
  const rows: Row[] = [];
  const count = (f: (t: string) => ArrayLike<number>) => (texts: string[]) => texts.reduce((s, t) => s + f(t).length, 0);

  const ours = await loadTokenizer('gpt2');
  const oursCount = count((t) => ours.encodeToArray(t));
  rows.push(await time('trainyard (1 thread)', () => oursCount(moby), () => oursCount(sotu)));

  const pool = new TokenizerPool(await loadTokenizer('gpt2'), 2);
  const viaPool = async (texts: string[]): Promise<number> => {
    let n = 0;
    await encodeDocs(pool, texts, { piece: (ids) => { n += ids.length; }, docEnd: () => {} });
    return n;
  };
  await pool.ready();
  rows.push(await time('trainyard (2 workers)', () => viaPool(moby), () => viaPool(sotu)));
  await pool.close();

  const { getEncoding } = await import('js-tiktoken');
  const js = getEncoding('gpt2');
  const jsCount = count((t) => js.encode(t));
  rows.push(await time('js-tiktoken', () => jsCount(moby), () => jsCount(sotu)));

  const wasm = await optional('tiktoken', async () => (await import('tiktoken')).get_encoding('gpt2'));
  if (wasm) {
    const c = count((t) => wasm.encode(t, [], []));
    rows.push(await time('tiktoken (wasm)', () => c(moby), () => c(sotu)));
    wasm.free();
  }
  const gt = await optional('gpt-tokenizer', async () => (await import('gpt-tokenizer/encoding/r50k_base')).encode);
  if (gt) {
    const c = count((t) => gt(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() }));
    rows.push(await time('gpt-tokenizer', () => c(moby), () => c(sotu)));
  }
  const base = rows[1]!;
  console.log(`(a) encode GPT-2 vocabulary, SOTU ${mb.toFixed(1)} MB`);
  for (const r of rows) {
    const rate = mb / r.seconds;
    const agree = r.tokens === rows[0]!.tokens ? '' : `  (token count ${r.tokens} differs!)`;
    console.log(`  ${r.name.padEnd(24)} ${rate.toFixed(1).padStart(6)} MB/s  ${r.seconds.toFixed(2)} s  ours(2 workers) is ${(r.seconds / base.seconds).toFixed(2)}x faster${agree}`);
  }
  console.log(`  tokens: ${rows[0]!.tokens}`);
}

async function optional<T>(name: string, load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch {
    console.log(`  (${name} not installed: skipped)`);
    return undefined;
  }
}

async function trainBench(sotu: string[]): Promise<void> {
  console.log('(b) BPE training to vocab 8192 on SOTU (sentencepiece: 3.2 s here; target < 6.4 s)');
  for (const threads of [1, 2]) {
    const t0 = performance.now();
    const tok = await trainBpe(sotu, { vocabSize: 8192, threads });
    const s = (performance.now() - t0) / 1000;
    const tokens = sotu.reduce((n, t) => n + tok.encodeToArray(t).length, 0);
    const bytes = sotu.reduce((n, t) => n + Buffer.byteLength(t), 0);
    console.log(`  threads=${threads}: ${s.toFixed(2)} s, vocab ${tok.vocabSize}, ${(bytes / tokens).toFixed(2)} bytes/token on SOTU`);
  }
}

export async function run(): Promise<void> {
  const sotu = corpus('datasets-sotu');
  const moby = corpus('datasets-moby-dick');
  await encodeBench(sotu, moby);
  await trainBench(sotu);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
