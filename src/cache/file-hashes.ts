/**
 * @fileoverview Content hashes of external input files with a stat cache (DVC's state db):
 * a file whose size and mtime are unchanged is not re-read. Kept in `.trainyard/file-hashes.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { hashFile } from '../util/hash.js';

interface Entry { size: number; mtimeMs: number; sha256: string }

export class FileHashes {
  private readonly path: string;
  private readonly entries: Record<string, Entry>;
  private dirty = false;

  constructor(root: string) {
    this.path = join(root, 'file-hashes.json');
    let entries: Record<string, Entry> = {};
    if (existsSync(this.path)) {
      try { entries = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, Entry>; } catch { entries = {}; }
    }
    this.entries = entries;
  }

  async hash(file: string): Promise<string> {
    const st = await stat(file);
    const e = this.entries[file];
    if (e && e.size === st.size && e.mtimeMs === st.mtimeMs) return e.sha256;
    const sha256 = await hashFile(file);
    this.entries[file] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
    this.dirty = true;
    return sha256;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await writeFileAtomic(this.path, JSON.stringify(this.entries));
  }
}
