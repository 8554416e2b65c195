/**
 * @fileoverview Where the remote cache is, and opening it. The first of these that is set
 * wins: `--remote <url>`, the `TRAINYARD_REMOTE` environment variable, the pipeline's
 * `remote:`, the user config file (`$XDG_CONFIG_HOME/trainyard/config.yaml`, else
 * `~/.config/trainyard/config.yaml`). `none` (flag or variable) turns the remote off.
 *
 *   remote: /mnt/team/trainyard-cache                      # a shared folder
 *   remote: { url: s3://bucket/prefix, push: false }       # S3 (AWS SDK v3); pull only
 *   remote: { url: s3://cache/team, endpoint: http://localhost:9000 }   # S3-compatible server
 *
 * A URL is `s3://bucket[/prefix]` or a folder (absolute, relative to the pipeline file in
 * `remote:`, relative to the current folder elsewhere; `file://` allowed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { errors } from '../../errors/index.js';
import { RemoteCache, type RemoteSpec } from './cache.js';
import { FolderTransport } from './folder.js';

/** `remote:` as written: a URL, or `{ url, pull?, push? }`. */
export type RemoteSetting = string | { url: string; pull?: boolean; push?: boolean; endpoint?: string };

/** A setting made absolute against `base` (where relative folders resolve). */
export function remoteSpec(setting: RemoteSetting, base: string, from: string): RemoteSpec {
  const s = typeof setting === 'string' ? { url: setting } : setting;
  const url = s.url.startsWith('s3://') ? s.url : s.url.startsWith('file://') ? fileURLToPath(s.url) : isAbsolute(s.url) ? s.url : resolve(base, s.url);
  return { url, pull: s.pull ?? true, push: s.push ?? true, from, ...(s.endpoint ? { endpoint: s.endpoint } : {}) };
}

/** The user config file's path. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'trainyard', 'config.yaml');
}

/** The remote setting in the user config file, if any; a malformed one is E_SCHEMA naming the file. */
export function userConfigRemote(file = userConfigPath()): RemoteSpec | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw errors.remoteConfig({ file, problem: `is not valid YAML (${(err as Error).message.split('\n')[0]})` });
  }
  const remote = (data as { remote?: unknown } | null)?.remote;
  if (remote === undefined) return undefined;
  const ok = typeof remote === 'string' || (!!remote && typeof remote === 'object' && typeof (remote as { url?: unknown }).url === 'string');
  if (!ok) throw errors.remoteConfig({ file, problem: 'has a "remote" that is neither a URL nor { url, pull, push }' });
  return remoteSpec(remote as RemoteSetting, process.cwd(), file);
}

/** Picks the remote (flag, environment, pipeline, user config), or undefined for none. */
export function chooseRemote(o: { flag?: string; pipeline?: RemoteSpec; env?: NodeJS.ProcessEnv }): RemoteSpec | undefined {
  const env = o.env ?? process.env;
  const pick = o.flag ?? env.TRAINYARD_REMOTE;
  if (pick !== undefined && pick !== '') {
    if (pick === 'none') return undefined;
    return remoteSpec(pick, process.cwd(), o.flag !== undefined ? '--remote' : 'TRAINYARD_REMOTE');
  }
  return o.pipeline ?? userConfigRemote(userConfigPath(env));
}

/** Opens a remote cache (the AWS SDK is loaded only for s3:// URLs). */
export async function openRemote(spec: RemoteSpec): Promise<RemoteCache> {
  if (spec.url.startsWith('s3://')) {
    const { S3Transport } = await import('./s3.js');
    return new RemoteCache(new S3Transport(spec.url, { endpoint: spec.endpoint }), spec);
  }
  return new RemoteCache(new FolderTransport(spec.url), spec);
}
