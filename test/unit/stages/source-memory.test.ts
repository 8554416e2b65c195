/**
 * Peak memory of the source stage on a gzip bomb: 1 GiB of zero bytes (about 1 MB gzip'd),
 * generated on the fly, read as `.txt.gz` and `.jsonl.gz`, and 1 GiB of ASCII '0' as `.txt.gz`.
 * The stage runs in a child process whose peak RSS must stay under 300 MB; each file is a
 * counted, named skip, never E_INTERNAL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/stage-tester.js';

const GiB = 1 << 30;
const PEAK_LIMIT = 300e6;
const CHILD = fileURLToPath(new URL('./source-memory.child.ts', import.meta.url));
let dir = '';

/** Streams `total` bytes of `fill` through gzip into `path` (1 GiB of one byte → ~1 MB). */
async function gzipBomb(path: string, fill: number, total = GiB): Promise<void> {
  const block = Buffer.alloc(1 << 20, fill);
  async function* blocks() { for (let n = 0; n < total; n += block.length) yield block; }
  await pipeline(blocks(), createGzip({ level: 1 }), createWriteStream(path));
}

interface ChildResult { stats?: Record<string, number>; logs?: string[]; error?: string; maxRssBytes: number }

async function runInChild(files: string): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ files }), dir], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

before(async () => {
  dir = await tempDir();
  await mkdir(join(dir, 'data'));
  await gzipBomb(join(dir, 'data/zeros.txt.gz'), 0);
  await copyFile(join(dir, 'data/zeros.txt.gz'), join(dir, 'data/zeros.jsonl.gz'));
  await gzipBomb(join(dir, 'data/digits.txt.gz'), 0x30);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

const cases: Array<[string, string]> = [
  ['data/zeros.txt.gz', 'binary_files'],
  ['data/zeros.jsonl.gz', 'oversized_documents'],
  ['data/digits.txt.gz', 'oversized_documents'],
];
for (const [file, counted] of cases) {
  test(`1 GiB gzip bomb ${file}: peak RSS under 300 MB, counted as ${counted}`, { timeout: 60_000 }, async () => {
    const res = await runInChild(file);
    console.log(`${file}: peak RSS ${(res.maxRssBytes / 1e6).toFixed(0)} MB${res.error ? `; ${res.error}` : ''}`);
    assert.equal(res.error, undefined);
    assert.equal(res.stats![counted], 1);
    assert.equal(res.stats!.documents, 0);
    assert.match(res.logs!.join('\n'), new RegExp(file.replace(/\./g, '\\.')));
    assert.ok(res.maxRssBytes < PEAK_LIMIT, `peak RSS ${res.maxRssBytes} ≥ ${PEAK_LIMIT}`);
  });
}
