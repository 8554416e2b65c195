/**
 * @fileoverview One computation per cache key across processes: a second `trainyard run`
 * that reaches a key another run is computing waits for it, then takes the cached result.
 * proper-lockfile refreshes the lock while held and treats a dead holder's lock as stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export async function lockKey(locksDir: string, key: string, signal?: AbortSignal): Promise<() => Promise<void>> {
  await mkdir(locksDir, { recursive: true });
  const path = join(locksDir, key);
  if (!existsSync(path)) await writeFile(path, '');
  for (;;) {
    try {
      return await lockfile.lock(path, { stale: 15_000, update: 5_000, retries: 0 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (signal?.aborted) throw new Error('aborted while waiting for a lock');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
