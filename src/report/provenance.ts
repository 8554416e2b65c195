/**
 * @fileoverview Where a run came from, for its record: the git commit of the workspace and
 * whether it had uncommitted changes (null where git or a repository is absent), and the
 * Trainyard version.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export interface GitInfo { commit: string; dirty: boolean }

const run = promisify(execFile);

/** The commit and dirty state of the repository holding `dir`; null without git or outside a repository. */
export async function gitInfo(dir: string): Promise<GitInfo | null> {
  try {
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 10_000 });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: dir, timeout: 10_000, maxBuffer: 16 << 20 });
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    return null;
  }
}

let version: string | undefined;

/** Trainyard's version, from its package.json. */
export function trainyardVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
