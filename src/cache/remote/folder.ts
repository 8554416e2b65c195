/**
 * @fileoverview A remote cache in a shared folder (NFS, SMB, a synced drive, or just another
 * disk). Each object is written under a temporary name unique to this host and process,
 * then renamed into place, so a reader on any machine sees a whole object or none, and two
 * writers of the same object never mix their bytes.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { RemoteTransport } from './transport.js';

const missing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

export class FolderTransport implements RemoteTransport {
  readonly url: string;
  constructor(private readonly root: string) { this.url = root; }

  private abs(path: string): string { return join(this.root, ...path.split('/')); }

  async exists(path: string): Promise<boolean> {
    try { await stat(this.abs(path)); return true; } catch (err) { if (missing(err)) return false; throw err; }
  }

  async get(path: string): Promise<Buffer | undefined> {
    try { return await readFile(this.abs(path)); } catch (err) { if (missing(err)) return undefined; throw err; }
  }

  async download(path: string, file: string): Promise<boolean> {
    try { await copyFile(this.abs(path), file); return true; } catch (err) { if (missing(err)) return false; throw err; }
  }

  upload(file: string, path: string): Promise<void> {
    return this.atomically(path, (tmp) => copyFile(file, tmp));
  }

  put(path: string, data: string): Promise<void> {
    return this.atomically(path, (tmp) => writeFile(tmp, data));
  }

  private async atomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.${basename(target)}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await write(tmp);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
