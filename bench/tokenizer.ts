/**
 * Tokenizer benchmarks (`npm run bench -- tokenizer`):
 *  (a) encode throughput (MB/s) on the whole State of the Union corpus (~10.8 MB) with GPT-2's
 *      vocabulary: ours on one thread and on two workers, js-tiktoken, tiktoken (wasm) and
 *      gpt-tokenizer, with ratios. Each round gives every encoder a fresh instance, a warm-up
 *      pass on Moby Dick (JIT), then one timed pass over SOTU; the best of 3 rounds is shown.
 *      All must agree on the token count.
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

/** An encoder under test: `make` builds a fresh instance and returns its count function. */
interface Contender { name: string; make(): Promise<((texts: string[]) => number | Promise<number>) | undefined>; done?(): Promise<void> }

const ROUNDS = 3;

async function encodeBench(sotu: string[], moby: string[]): Promise<void> {
  const mb = sotu.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
  const count = (f: (t: string) => ArrayLike<number>) => (texts: string[]) => texts.reduce((s, t) => s + f(t).length, 0);
  let pool: TokenizerPool | undefined;
  const contenders: Contender[] = [
    { name: 'trainyard (1 thread)', make: async () => { const t = await loadTokenizer('gpt2'); return count((x) => t.encodeToArray(x)); } },
    {
      name: 'trainyard (2 workers)',
      make: async () => {
        const p = new TokenizerPool(await loadTokenizer('gpt2'), 2);
        pool = p;
        await p.ready();
        return async (texts) => {
          let n = 0;
          await encodeDocs(p, texts, { piece: (ids) => { n += ids.length; }, docEnd: () => {} });
          return n;
        };
      },
      done: async () => { await pool?.close(); },
    },
    { name: 'js-tiktoken', make: async () => { const e = (await import('js-tiktoken')).getEncoding('gpt2'); return count((t) => e.encode(t)); } },
    {
      name: 'tiktoken (wasm)',
      make: async () => {
        const e = await optional('tiktoken', async () => (await import('tiktoken')).get_encoding('gpt2'));
        return e && count((t) => e.encode(t, [], []));
      },
    },
    {
      name: 'gpt-tokenizer',
      make: async () => {
        const enc = await optional('gpt-tokenizer', async () => (await import('gpt-tokenizer/encoding/r50k_base')).encode);
        return enc && count((t) => enc(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() }));
      },
    },
  ];
  // Rounds interleave the contenders, so load from other processes hits them all alike; best round wins.
  const best = new Map<string, Row>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const f = await c.make();
      if (!f) continue;
      await f(moby); // warm-up: JIT and caches, on another text
      const t0 = performance.now();
      const tokens = await f(sotu);
      const seconds = (performance.now() - t0) / 1000;
      await c.done?.();
      const prev = best.get(c.name);
      if (!prev || seconds < prev.seconds) best.set(c.name, { name: c.name, seconds, tokens });
    }
  }
  const rows = [...best.values()];
  const base = best.get('trainyard (2 workers)')!;
  console.log(`(a) encode GPT-2 vocabulary, SOTU ${mb.toFixed(1)} MB, best of ${ROUNDS} interleaved rounds`);
  for (const r of rows) {
    const agree = r.tokens === rows[0]!.tokens ? '' : `  (token count ${r.tokens} differs!)`;
    console.log(`  ${r.name.padEnd(24)} ${(mb / r.seconds).toFixed(1).padStart(6)} MB/s  ${r.seconds.toFixed(2)} s  ` +
      `2-worker speed-up over it: ${(r.seconds / base.seconds).toFixed(2)}x${agree}`);
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
  // Below 32 MB the word count runs inline whatever `threads` says (worker start-up would dominate).
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
