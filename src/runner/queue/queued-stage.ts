/**
 * @fileoverview A stage as a queue job: plain JSON that names no path of the submitting
 * machine. Inputs are store entries (key + output port) the worker pulls from the remote
 * cache; the result is committed under `key` and pushed back to it. Plugin modules inside
 * the pipeline's folder travel as paths relative to it (the worker resolves them against
 * its own checkout, `--dir`); package names and other paths as they are.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ArtifactKind } from '../../artifacts/kinds.js';
import type { KeyDetails } from '../../cache/fingerprint.js';
import type { RemoteSpec } from '../../cache/remote/cache.js';
import { errors } from '../../errors/index.js';
import type { StageRequest } from '../executor.js';

export const QUEUED_STAGE_VERSION = 1;

export interface QueuedStage {
  v: typeof QUEUED_STAGE_VERSION;
  name: string;
  type: string;
  key: string;
  details: KeyDetails;
  options: Record<string, unknown>;
  /** Input port → store entries, each with the artifact's kind, hash and `stage.port`. */
  inputs: Record<string, Array<{ key: string; port: string; kind: ArtifactKind; hash: string; from: string }>>;
  backend: string;
  seed: number;
  threads: number;
  force: boolean;
  plugins: string[];
  /** The remote cache results travel through (a worker's --remote replaces it). */
  remote: { url: string; endpoint?: string };
  runId: string;
  /** Who asked, for the worker's log: `host (pid)`. */
  submitter: string;
}

/** The job for a stage request. */
export function queuedStage(req: StageRequest, p: { dir: string; backend: string; seed: number; plugins: string[]; remote: RemoteSpec; submitter: string }): QueuedStage {
  const inputs: QueuedStage['inputs'] = {};
  for (const [port, refs] of Object.entries(req.inputs)) {
    inputs[port] = refs.map((r, i) => ({ ...req.entries[port]![i]!, kind: r.kind, hash: r.hash, from: r.from }));
  }
  return {
    v: QUEUED_STAGE_VERSION, name: req.name, type: req.stage.type, key: req.key, details: req.details, options: req.stage.options, inputs,
    backend: p.backend, seed: p.seed, threads: req.threads, force: req.force,
    plugins: p.plugins.map((m) => portablePlugin(m, p.dir)),
    remote: { url: p.remote.url, ...(p.remote.endpoint ? { endpoint: p.remote.endpoint } : {}) },
    runId: req.runId, submitter: p.submitter,
  };
}

/** A plugin path inside the pipeline folder becomes relative to it (POSIX separators). */
function portablePlugin(m: string, dir: string): string {
  if (!isAbsolute(m)) return m;
  const rel = relative(dir, m);
  return rel.startsWith('..') || isAbsolute(rel) ? m : `./${rel.split(sep).join('/')}`;
}

/** A relative plugin path resolved against the worker's folder. */
export function workerPlugin(m: string, dir: string): string {
  return m.startsWith('./') || m.startsWith('../') ? resolve(dir, m) : m;
}

/** Checks a job's data before a worker runs it. */
export function checkQueuedStage(id: string, data: unknown): QueuedStage {
  const d = data as Partial<QueuedStage> | null;
  const problem = !d || typeof d !== 'object' ? 'it is not an object'
    : d.v !== QUEUED_STAGE_VERSION ? `it has format version ${String(d.v)}, this worker reads ${QUEUED_STAGE_VERSION}`
      : typeof d.key !== 'string' || !/^[0-9a-f]{64}$/.test(d.key) ? 'it has no valid cache key'
        : typeof d.name !== 'string' || typeof d.type !== 'string' ? 'it names no stage'
          : !d.remote || typeof d.remote.url !== 'string' ? 'it names no remote cache'
            : !d.inputs || typeof d.inputs !== 'object' ? 'it has no inputs'
              : undefined;
  if (problem) throw errors.badJob({ id, problem });
  return d as QueuedStage;
}
