/**
 * @fileoverview The pipeline lock file `<pipeline>.lock` (YAML, sorted, one entry per stage,
 * so merges are line-local): what the workspace last ran, for `status` explanations and `gc`.
 * Updates are read-modify-write under a file lock, so concurrent runs never lose entries.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '../util/atomic.js';
import { sha256 } from '../util/hash.js';
import type { KeyDetails } from './fingerprint.js';

export interface LockEntry {
  key: string;
  details: KeyDetails;
  /** Port → artifact hash. */
  outputs: Record<string, string>;
}

export interface LockData { schema: 1; stages: Record<string, LockEntry> }

/** `pipelines/x.yaml` → `pipelines/x.lock` */
export function lockPathFor(pipelineFile: string): string {
  return pipelineFile.replace(/\.ya?ml$/i, '') + '.lock';
}

export async function readLock(path: string): Promise<LockData> {
  if (!existsSync(path)) return { schema: 1, stages: {} };
  try {
    const data = parse(await readFile(path, 'utf8')) as LockData | null;
    return data && typeof data === 'object' && data.stages ? data : { schema: 1, stages: {} };
  } catch {
    return { schema: 1, stages: {} };
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** Merges `entries` into the lock file (others' entries untouched). */
export async function updateLock(path: string, entries: Record<string, LockEntry>): Promise<void> {
  if (!existsSync(path)) await writeFileAtomic(path, stringify({ schema: 1, stages: {} }));
  const release = await lockfile.lock(path, { retries: { retries: 50, minTimeout: 20, maxTimeout: 200 }, stale: 10_000 });
  try {
    const data = await readLock(path);
    Object.assign(data.stages, entries);
    const header = '# Trainyard lock file: what this workspace last ran. Commit it with the pipeline.\n';
    await writeFileAtomic(path, header + stringify(sortKeys({ schema: 1, stages: data.stages }), { lineWidth: 0 }));
  } finally {
    await release();
  }
}

/**
 * readLock with a JSON sidecar under `cacheDir`, keyed by the lock file's size and mtime:
 * parsing a 1,000-stage YAML lock takes far longer than reading its JSON twin.
 */
export async function readLockCached(path: string, cacheDir: string): Promise<LockData> {
  let st;
  try { st = await stat(path); } catch { return { schema: 1, stages: {} }; }
  const cache = join(cacheDir, `${sha256(path).slice(0, 16)}.json`);
  try {
    const c = JSON.parse(await readFile(cache, 'utf8')) as { size: number; mtimeMs: number; data: LockData };
    if (c.size === st.size && c.mtimeMs === st.mtimeMs) return c.data;
  } catch { /* miss */ }
  const data = await readLock(path);
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeFileAtomic(cache, JSON.stringify({ size: st.size, mtimeMs: st.mtimeMs, data }));
  } catch { /* the cache is an optimisation only */ }
  return data;
}
