/**
 * @fileoverview Placing one file of an exported artifact: a copy (the default), a hard link
 * (same bytes, no extra space; a copy when the store is on another file system) or a
 * symbolic link to the store. Links share bytes with the store: editing a linked file in
 * place changes the store entry, which the next lookup then finds corrupt and recomputes.
 */
import { copyFile, link, mkdir, symlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** How files travel out of the store. */
export type PlaceMode = 'copy' | 'hardlink' | 'symlink';

/** Places `src` at `dest` (parents created). */
export async function placeFile(src: string, dest: string, mode: PlaceMode): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  if (mode === 'symlink') return symlink(src, dest);
  if (mode === 'hardlink') {
    try {
      return await link(src, dest);
    } catch (err) {
      // Another file system (EXDEV) or one without hard links (EPERM): copy instead.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw err;
    }
  }
  await copyFile(src, dest);
}
