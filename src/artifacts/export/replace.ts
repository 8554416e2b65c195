/**
 * @fileoverview Replacing a folder so that a reader sees the old content or the new, never a
 * mix: the new folder is filled beside the target under a temporary name, then the old one
 * is moved aside and the new one renamed in (two renames; for an instant the path is absent).
 * A crash while filling leaves only the temporary folder, which the next replace removes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../../util/process.js';

const TEMP_RE = /^\.(.+)\.trainyard-(?:new|old)-(\d+)-[0-9a-f]{8}$/;

/** Fills a fresh folder with `fill`, then puts it at `dest` in place of what was there. */
export async function replaceFolder(dest: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const parent = dirname(dest);
  await mkdir(parent, { recursive: true });
  await removeLeftovers(parent, basename(dest));
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = join(parent, `.${basename(dest)}.trainyard-new-${tag}`);
  const old = join(parent, `.${basename(dest)}.trainyard-old-${tag}`);
  await mkdir(fresh);
  try {
    await fill(fresh);
  } catch (err) {
    await rm(fresh, { recursive: true, force: true });
    throw err;
  }
  const hadOld = existsSync(dest);
  if (hadOld) await rename(dest, old);
  await rename(fresh, dest);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** Temporary folders of `name` left by a process that is gone. */
async function removeLeftovers(parent: string, name: string): Promise<void> {
  for (const entry of await readdir(parent)) {
    const m = TEMP_RE.exec(entry);
    if (m && m[1] === name && !processAlive(Number(m[2]))) await rm(join(parent, entry), { recursive: true, force: true });
  }
}
