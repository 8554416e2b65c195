/**
 * @fileoverview The content-addressed artifact store under `.trainyard/`:
 *
 *   .trainyard/store/<k0k1>/<key>/outputs/<port>/…   the artifacts
 *   .trainyard/store/<k0k1>/<key>/manifest.json       key details, per-file size/mtime/sha256
 *   .trainyard/store/<k0k1>/<key>/.commit             written LAST: no marker, no entry
 *
 * A stage writes into `.trainyard/tmp/…`; commit hashes the files, renames the folder in and
 * writes the marker (Nx's cache commit). A lookup verifies presence and hashes (size+mtime
 * fast path, full sha256 when they differ); a corrupt entry is a warning and a miss.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactKind, ArtifactRef } from '../artifacts/kinds.js';
import { writeFileAtomic } from '../util/atomic.js';
import { hashFile, hashJson, listFiles } from '../util/hash.js';
import type { KeyDetails } from './fingerprint.js';
import { processAlive } from '../util/process.js';

export interface FileEntry { path: string; size: number; mtimeMs: number; sha256: string }

export interface OutputEntry { kind: ArtifactKind; hash: string; files: FileEntry[] }

export interface Manifest {
  key: string;
  stage: string;
  details: KeyDetails;
  outputs: Record<string, OutputEntry>;
  /** Last value of each metric the stage reported. */
  metrics: Record<string, number>;
  stats: Record<string, number | string>;
  backend: string;
  createdAt: string;
  durationMs: number;
}

export interface LookupResult { manifest?: Manifest; corrupt?: string }

export class Store {
  readonly root: string;
  constructor(root: string) { this.root = root; }

  entryDir(key: string): string { return join(this.root, 'store', key.slice(0, 2), key); }
  outputDir(key: string, port: string): string { return join(this.entryDir(key), 'outputs', port); }
  checkpointDir(ckey: string): string { return join(this.root, 'checkpoints', ckey); }
  locksDir(): string { return join(this.root, 'locks'); }
  runsDir(): string { return join(this.root, 'runs'); }

  /** A fresh staging folder for one stage attempt. */
  async stagingDir(label: string): Promise<string> {
    const dir = join(this.root, 'tmp', `${label.replace(/[^\w@.-]/g, '_')}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Removes staging folders whose process is gone (a killed run's), keeping those of live
   * runs on this workspace. Staging names end in `-<pid>-<random>`. Returns how many went.
   */
  async cleanStaging(): Promise<number> {
    const stale = await this.staleStaging();
    for (const dir of stale) await rm(dir, { recursive: true, force: true });
    return stale.length;
  }

  /**
   * Staging folders no live process on this host owns (`gc` also takes the ones whose name
   * carries no pid, with `unnamed`).
   */
  async staleStaging(o: { unnamed?: boolean } = {}): Promise<string[]> {
    const tmp = join(this.root, 'tmp');
    if (!existsSync(tmp)) return [];
    const out: string[] = [];
    for (const name of await readdir(tmp)) {
      const pid = Number(/-(\d+)-[0-9a-f]{8}$/.exec(name)?.[1]);
      if (!pid) { if (o.unnamed) out.push(join(tmp, name)); continue; }
      if (pid !== process.pid && !processAlive(pid)) out.push(join(tmp, name));
    }
    return out;
  }

  /** Reads and verifies an entry. Missing → {}; corrupt → { corrupt: reason } (and the entry is removed). */
  async lookup(key: string, opts: { verify?: 'fast' | 'full' } = {}): Promise<LookupResult> {
    const dir = this.entryDir(key);
    if (!existsSync(join(dir, '.commit'))) return {};
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      return this.quarantine(key, 'manifest.json is unreadable');
    }
    for (const [port, out] of Object.entries(manifest.outputs)) {
      for (const f of out.files) {
        const p = join(dir, 'outputs', port, f.path);
        let st;
        try { st = await stat(p); } catch { return this.quarantine(key, `${port}/${f.path} is missing`); }
        if (st.size !== f.size) return this.quarantine(key, `${port}/${f.path} has size ${st.size}, expected ${f.size}`);
        if (opts.verify === 'full' || st.mtimeMs !== f.mtimeMs) {
          if ((await hashFile(p)) !== f.sha256) return this.quarantine(key, `${port}/${f.path} content changed`);
        }
      }
    }
    return { manifest };
  }

  private async quarantine(key: string, reason: string): Promise<LookupResult> {
    await rm(this.entryDir(key), { recursive: true, force: true }).catch(() => undefined);
    return { corrupt: reason };
  }

  /** Artifact references for a committed manifest. */
  refs(manifest: Manifest, stageName: string): Record<string, ArtifactRef> {
    const out: Record<string, ArtifactRef> = {};
    for (const [port, o] of Object.entries(manifest.outputs)) {
      out[port] = { kind: o.kind, path: this.outputDir(manifest.key, port), hash: o.hash, from: `${stageName}.${port}` };
    }
    return out;
  }

  /**
   * Commits a staging folder (containing `outputs/<port>/`) as entry `key`. If another
   * process committed the same key first, ours is discarded and theirs returned.
   */
  async commit(staging: string, m: Omit<Manifest, 'outputs' | 'createdAt'> & { kinds: Record<string, ArtifactKind> }): Promise<Manifest> {
    const outputs: Record<string, OutputEntry> = {};
    for (const [port, kind] of Object.entries(m.kinds)) {
      const dir = join(staging, 'outputs', port);
      await mkdir(dir, { recursive: true });
      const files: FileEntry[] = [];
      for (const rel of await listFiles(dir)) {
        const p = join(dir, rel);
        const st = await stat(p);
        files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs, sha256: await hashFile(p) });
      }
      outputs[port] = { kind, hash: hashJson({ kind, files: files.map((f) => [f.path, f.sha256]) }), files };
    }
    const { kinds: _kinds, ...rest } = m;
    return this.install(staging, { ...rest, outputs, createdAt: new Date().toISOString() });
  }

  /**
   * Commits a staging folder that already holds `outputs/<port>/…` as described by `manifest`
   * (an entry pulled from a remote cache): every file's size and sha256 must match it, else
   * the staging folder is removed and the error names the file. Local mtimes are recorded
   * for the fast lookup path.
   */
  async adopt(staging: string, manifest: Manifest): Promise<Manifest> {
    const outputs: Record<string, OutputEntry> = {};
    try {
      for (const [port, out] of Object.entries(manifest.outputs)) {
        const files: FileEntry[] = [];
        for (const f of out.files) {
          const p = join(staging, 'outputs', port, f.path);
          const st = await stat(p);
          if (st.size !== f.size || (await hashFile(p)) !== f.sha256) throw new Error(`${port}/${f.path} does not match its recorded size and sha256`);
          files.push({ ...f, mtimeMs: st.mtimeMs });
        }
        if (hashJson({ kind: out.kind, files: files.map((f) => [f.path, f.sha256]) }) !== out.hash) throw new Error(`output ${port} does not match its recorded hash`);
        await mkdir(join(staging, 'outputs', port), { recursive: true });
        outputs[port] = { ...out, files };
      }
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    return this.install(staging, { ...manifest, outputs });
  }

  /** manifest.json into the staging folder, rename it in, marker last (another's commit wins). */
  private async install(staging: string, manifest: Manifest): Promise<Manifest> {
    await writeFileAtomic(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 1));
    const final = this.entryDir(manifest.key);
    await mkdir(join(final, '..'), { recursive: true });
    if (existsSync(join(final, '.commit'))) {
      await rm(staging, { recursive: true, force: true });
      return JSON.parse(await readFile(join(final, 'manifest.json'), 'utf8')) as Manifest;
    }
    await rm(final, { recursive: true, force: true });
    await rename(staging, final);
    await writeFileAtomic(join(final, '.commit'), `${manifest.key}\n`);
    return manifest;
  }
}

