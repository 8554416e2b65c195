/**
 * @fileoverview `trainyard gc`: removes store entries that no known lock file and no recent
 * run references, staging folders of dead processes, and old unreferenced checkpoints.
 * Lock files register themselves in `.trainyard/lockfiles.json` when written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLock } from './lockfile.js';
import type { Store } from './store.js';
import { writeFileAtomic } from '../util/atomic.js';

export interface GcResult { removed: string[]; kept: number; bytes: number }

const KEY_RE = /[0-9a-f]{64}/g;

export async function registerLockFile(root: string, lockPath: string): Promise<void> {
  const path = join(root, 'lockfiles.json');
  const list = new Set<string>(existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as string[]) : []);
  if (list.has(lockPath)) return;
  list.add(lockPath);
  await writeFileAtomic(path, JSON.stringify([...list].sort(), null, 1));
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += (await stat(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))).size;
  }
  return n;
}


export async function collectGarbage(store: Store, opts: { keepDays: number; dryRun: boolean }): Promise<GcResult> {
  const root = store.root;
  const keep = new Set<string>();
  const lockList = join(root, 'lockfiles.json');
  for (const lp of existsSync(lockList) ? (JSON.parse(readFileSync(lockList, 'utf8')) as string[]) : []) {
    for (const e of Object.values((await readLock(lp)).stages)) keep.add(e.key);
  }
  const cutoff = Date.now() - opts.keepDays * 86_400_000;
  if (existsSync(store.runsDir())) {
    for (const run of await readdir(store.runsDir())) {
      const f = join(store.runsDir(), run, 'run.json');
      if (existsSync(f) && (await stat(f)).mtimeMs >= cutoff) for (const k of readFileSync(f, 'utf8').match(KEY_RE) ?? []) keep.add(k);
    }
  }
  const res: GcResult = { removed: [], kept: 0, bytes: 0 };
  const remove = async (path: string) => {
    res.bytes += await dirBytes(path).catch(() => 0);
    res.removed.push(path);
    if (!opts.dryRun) await rm(path, { recursive: true, force: true });
  };
  const storeDir = join(root, 'store');
  if (existsSync(storeDir)) {
    for (const prefix of await readdir(storeDir)) {
      for (const key of await readdir(join(storeDir, prefix))) {
        if (keep.has(key)) res.kept++;
        else await remove(join(storeDir, prefix, key));
      }
    }
  }
  for (const dir of await store.staleStaging({ unnamed: true })) await remove(dir);
  const ckpts = join(root, 'checkpoints');
  if (existsSync(ckpts)) {
    for (const d of await readdir(ckpts)) {
      if ((await stat(join(ckpts, d))).mtimeMs < cutoff) await remove(join(ckpts, d));
    }
  }
  return res;
}
