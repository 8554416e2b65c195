/**
 * @fileoverview A remote cache shared by workspaces and machines (DVC remotes, Nx/Turbo
 * remote caches), content-addressed like the local store:
 *
 *   blobs/<s0s1>/<sha256>           file contents, named by their hash (shared by entries)
 *   entries/<k0k1>/<key>.json       the entry's manifest: its commit marker, written LAST
 *
 * Push uploads every blob the entry lacks remotely, then the manifest: an interrupted push
 * leaves blobs without a manifest, which is never a hit. Two pushes of the same key are safe:
 * blobs with one name have one content, and whichever manifest lands last is whole.
 * Pull reads the manifest, checks that it belongs to the key (its key details hash to it),
 * downloads the blobs into a local staging folder and lets the local store adopt it, which
 * checks every file's size and sha256: a damaged or incomplete remote entry is a miss that
 * says why, never a wrong result.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stageKey } from '../fingerprint.js';
import type { Manifest, Store } from '../store.js';
import type { RemoteTransport } from './transport.js';

/** Whether automatic pull-on-miss and push-after-run are on. */
export interface RemoteSpec {
  /** A folder (absolute) or `s3://bucket[/prefix]`. */
  url: string;
  pull: boolean;
  push: boolean;
  /** Where the setting came from (file, variable, flag), for messages. */
  from: string;
  /** S3-compatible endpoint URL (s3:// remotes). */
  endpoint?: string;
}

export type PullResult = { status: 'pulled'; manifest: Manifest; files: number; bytes: number } | { status: 'absent' } | { status: 'corrupt'; reason: string };
export interface PushResult { status: 'pushed' | 'present'; files: number; bytes: number }

export const entryPath = (key: string): string => `entries/${key.slice(0, 2)}/${key}.json`;
export const blobPath = (sha: string): string => `blobs/${sha.slice(0, 2)}/${sha}`;

const HEX64 = /^[0-9a-f]{64}$/;
const PORT = /^[\w@.-]+$/;

export class RemoteCache {
  constructor(readonly transport: RemoteTransport, readonly spec: RemoteSpec) {}

  get url(): string { return this.transport.url; }

  has(key: string): Promise<boolean> { return this.transport.exists(entryPath(key)); }

  /**
   * Uploads the local entry `key` (blobs first, manifest last) unless the remote has it;
   * `repair` re-uploads every blob and the manifest (after a pull found the entry damaged).
   */
  async push(store: Store, key: string, o: { repair?: boolean } = {}): Promise<PushResult> {
    if (!o.repair && await this.has(key)) return { status: 'present', files: 0, bytes: 0 };
    const { manifest } = await store.lookup(key, { verify: 'full' });
    if (!manifest) throw new Error(`entry ${key.slice(0, 12)} is not in the local store`);
    let files = 0, bytes = 0;
    for (const [port, out] of Object.entries(manifest.outputs)) {
      for (const f of out.files) {
        if (!o.repair && await this.transport.exists(blobPath(f.sha256))) continue;
        await this.transport.upload(join(store.outputDir(key, port), f.path), blobPath(f.sha256));
        files++; bytes += f.size;
      }
    }
    await this.transport.put(entryPath(key), JSON.stringify(manifest));
    return { status: 'pushed', files, bytes };
  }

  /** Downloads entry `key` into the local store (verified); absent or corrupt says so. */
  async pull(store: Store, key: string): Promise<PullResult> {
    const raw = await this.transport.get(entryPath(key));
    if (!raw) return { status: 'absent' };
    let manifest: Manifest;
    try {
      manifest = JSON.parse(raw.toString('utf8')) as Manifest;
    } catch {
      return { status: 'corrupt', reason: 'its manifest is not valid JSON' };
    }
    const problem = manifestProblem(manifest, key);
    if (problem) return { status: 'corrupt', reason: problem };
    const staging = await store.stagingDir(`pull-${key.slice(0, 12)}`);
    let files = 0, bytes = 0;
    try {
      for (const [port, out] of Object.entries(manifest.outputs)) {
        await mkdir(join(staging, 'outputs', port), { recursive: true });
        for (const f of out.files) {
          const dest = join(staging, 'outputs', port, f.path);
          await mkdir(dirname(dest), { recursive: true });
          if (!(await this.transport.download(blobPath(f.sha256), dest))) {
            await rm(staging, { recursive: true, force: true });
            return { status: 'corrupt', reason: `blob of ${port}/${f.path} is missing` };
          }
          files++; bytes += f.size;
        }
      }
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    try {
      return { status: 'pulled', manifest: await store.adopt(staging, manifest), files, bytes };
    } catch (err) {
      return { status: 'corrupt', reason: (err as Error).message };
    }
  }

  close(): void { this.transport.close?.(); }
}

/** Why a remote manifest cannot be entry `key`, or undefined. Paths must stay inside the entry. */
function manifestProblem(m: Manifest, key: string): string | undefined {
  if (!m || typeof m !== 'object' || m.key !== key) return 'its manifest is for another key';
  try {
    if (stageKey(m.details) !== key) return 'its key details do not hash to its key';
  } catch {
    return 'its key details are malformed';
  }
  if (!m.outputs || typeof m.outputs !== 'object') return 'its manifest has no outputs';
  for (const [port, out] of Object.entries(m.outputs)) {
    if (!PORT.test(port) || port === '.' || port === '..' || !out || !Array.isArray(out.files)) return `output "${port}" is malformed`;
    for (const f of out.files) {
      const segs = typeof f?.path === 'string' ? f.path.split('/') : [];
      if (segs.length === 0 || segs.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) return `file path ${JSON.stringify(f?.path)} is unsafe`;
      if (typeof f.sha256 !== 'string' || !HEX64.test(f.sha256) || !Number.isSafeInteger(f.size)) return `file ${f.path} has no valid sha256 and size`;
    }
  }
  return undefined;
}
