/**
 * @fileoverview One computation per cache key across processes: a second `trainyard run`
 * that reaches a key another run is computing waits for it, then takes the cached result.
 * proper-lockfile refreshes the lock while held and treats a dead holder's lock as stale
 * (free again 15 s after the holder died); a holder on this host whose pid is gone (a killed
 * run) is detected at once and its lock taken over. A live holder is waited for up to a timeout, then
 * the wait fails with E_LOCKED naming the holder, which the lock records (run id, pid, host,
 * start time) in the key's file.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { errors } from '../errors/index.js';
import { processAlive } from '../util/process.js';

/** Who holds a key's lock. */
export interface LockHolder {
  runId?: string;
  pid: number;
  host: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
}

export interface LockKeyOptions {
  /** Stops waiting when aborted. */
  signal?: AbortSignal;
  /** How long to wait for a live holder before failing with E_LOCKED. @default DEFAULT_LOCK_TIMEOUT_MS */
  timeoutMs?: number;
  /** The run taking the lock, recorded for whoever waits on it. */
  runId?: string;
  /** Called once when a wait begins, with the holder (undefined if it cannot be read). */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Called when the holder is a dead process on this host and its lock is taken over. */
  onStale?: (holder: LockHolder) => void;
}

/** Ten minutes: long enough for most stages, short enough that a stuck wait says why. */
const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 200;

/** Takes the lock of `key`, waiting while another process holds it; resolves with the release. */
export async function lockKey(locksDir: string, key: string, opts: LockKeyOptions = {}): Promise<() => Promise<void>> {
  await mkdir(locksDir, { recursive: true });
  const path = join(locksDir, key);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const started = Date.now();
  for (let first = true; ; first = false) {
    const release = await tryLock(path);
    if (release) {
      await writeFile(path, JSON.stringify(holderOf(opts.runId)));
      return release;
    }
    if (opts.signal?.aborted) throw errors.lockWaitCancelled();
    const holder = await readHolder(path);
    if (holder && (await isDeadHolder(path, holder))) {
      await rm(`${path}.lock`, { recursive: true, force: true });
      opts.onStale?.(holder);
      continue;
    }
    if (first) opts.onWait?.(holder);
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0) throw errors.locked({ holder: describeHolder(await readHolder(path)), key, waitedMs: timeoutMs });
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, left)));
  }
}

/** One attempt: the release function, or undefined while someone else holds the lock. */
async function tryLock(path: string): Promise<(() => Promise<void>) | undefined> {
  try {
    // realpath: false — the key's file need not exist before the lock (it is written after, with the holder).
    return await lockfile.lock(path, { stale: 15_000, update: 5_000, retries: 0, realpath: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw err;
  }
}

/**
 * A holder on this host whose pid no longer exists. The lock folder must also be older than
 * FRESH_MS: a lock taken a moment ago may not have written its holder record yet (the record
 * read is then the previous, dead holder's).
 */
async function isDeadHolder(path: string, h: LockHolder): Promise<boolean> {
  if (h.host !== hostname() || h.pid === process.pid || processAlive(h.pid)) return false;
  try {
    return Date.now() - (await stat(`${path}.lock`)).mtimeMs > FRESH_MS;
  } catch {
    return false; // no lock folder: the next attempt takes it
  }
}

const FRESH_MS = 2_000;


function holderOf(runId: string | undefined): LockHolder {
  return { runId, pid: process.pid, host: hostname(), since: new Date().toISOString() };
}

/** The holder recorded in a key's file, if it can be read. */
export async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** "run 20240101T000000-ab12cd (pid 4242 on gpu-1, since 2024-01-01T00:00:00.000Z)" */
export function describeHolder(h: LockHolder | undefined): string {
  if (!h) return 'another process';
  return `${h.runId ? `run ${h.runId}` : 'another process'} (pid ${h.pid} on ${h.host}, since ${h.since})`;
}
