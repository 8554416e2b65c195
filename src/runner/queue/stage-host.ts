/**
 * @fileoverview Runs one queued stage (./queued-stage.ts) on this machine against the remote
 * cache it names (or the worker's --remote): pull the input entries into this worker's own
 * store, run the stage in a worker process (../local-executor.ts, as a local run does),
 * commit it under the job's key and push it. Both queue workers (./queue-worker.ts) and a
 * Slurm job (`trainyard worker --once`) run stages through it.
 *
 *   job ─▶ remote has key? done ─▶ pull inputs ─▶ stage process ─▶ commit ─▶ push
 */
import { availableParallelism } from 'node:os';
import type { ArtifactRef } from '../../artifacts/kinds.js';
import { lockKey } from '../../cache/key-lock.js';
import { openRemote } from '../../cache/remote/open.js';
import type { RemoteCache, RemoteSpec } from '../../cache/remote/cache.js';
import type { Manifest, Store } from '../../cache/store.js';
import { errors } from '../../errors/index.js';
import { loadPlugin } from '../../plugins/load.js';
import { Registry } from '../../plugins/registry.js';
import type { StageRequest } from '../executor.js';
import type { JobEvent } from '../job.js';
import { runLocally } from '../local-executor.js';
import { StagePool } from '../process-pool.js';
import { workerPlugin, type QueuedStage } from './queued-stage.js';

export interface StageHostOptions {
  /** The worker's checkout: stages run here, relative plugin paths resolve here. */
  dir: string;
  store: Store;
  /** Replaces the remote cache named in each job (the same cache mounted elsewhere). */
  remote?: RemoteSpec;
  /** Stages this machine runs at once (they share its cores). @default 1 */
  concurrency?: number;
}

export interface HostedResult {
  /** `present`: the remote cache had the result already, nothing ran. */
  status: 'done' | 'present';
  /** Files the push uploaded. */
  files: number;
  durationMs: number;
}

export class StageHost {
  private readonly pool = new StagePool();
  private readonly remotes = new Map<string, Promise<RemoteCache>>();
  private readonly registries = new Map<string, Promise<Registry>>();

  constructor(private readonly o: StageHostOptions) {}

  /** Runs the stage unless its result is in the remote cache; its events go to `onEvent`. */
  async run(data: QueuedStage, onEvent: (e: JobEvent) => void, signal: AbortSignal, onStart?: () => void): Promise<HostedResult> {
    const t = Date.now();
    const remote = await this.remoteFor(data);
    if (!data.force && await remote.has(data.key)) return { status: 'present', files: 0, durationMs: Date.now() - t };
    onStart?.();
    const manifest = await this.compute(data, remote, onEvent, signal);
    const pushed = await remote.push(this.o.store, manifest.key);
    return { status: 'done', files: pushed.files, durationMs: Date.now() - t };
  }

  /** The stage's result in the local store: already there, or computed now (under the key's lock). */
  private async compute(data: QueuedStage, remote: RemoteCache, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest> {
    const { store } = this.o;
    const inputs: Record<string, ArtifactRef[]> = {};
    const entries: StageRequest['entries'] = {};
    for (const [port, list] of Object.entries(data.inputs)) {
      inputs[port] = [];
      entries[port] = [];
      for (const i of list) {
        await this.ensureLocal(i.key, remote);
        inputs[port].push({ kind: i.kind, path: store.outputDir(i.key, i.port), hash: i.hash, from: i.from });
        entries[port].push({ key: i.key, port: i.port });
      }
    }
    const plugins = data.plugins.map((p) => workerPlugin(p, this.o.dir));
    const def = await (await this.registryFor(plugins)).get('stage', data.type).value();
    const release = await lockKey(store.locksDir(), data.key, { signal, runId: data.runId });
    try {
      const had = data.force ? undefined : (await store.lookup(data.key)).manifest;
      if (had) return had;
      const req: StageRequest = {
        name: data.name, key: data.key, details: data.details, inputs, entries, threads: this.threads(), force: data.force, runId: data.runId,
        stage: { name: data.name, type: data.type, def, options: data.options, inputs: {}, frozen: false, origin: [] },
      };
      return await runLocally(store, this.pool, { cwd: this.o.dir, backend: data.backend, seed: data.seed, plugins }, req, onEvent, signal);
    } finally {
      await release();
    }
  }

  /** An input entry in the local store, pulled from the remote if need be. */
  private async ensureLocal(key: string, remote: RemoteCache): Promise<void> {
    const { store } = this.o;
    if ((await store.lookup(key)).manifest) return;
    const release = await lockKey(store.locksDir(), key, {});
    try {
      if ((await store.lookup(key)).manifest) return;
      const r = await remote.pull(store, key);
      if (r.status !== 'pulled') throw errors.resultMissing({ stage: 'an input', key, url: remote.url, reason: r.status === 'corrupt' ? r.reason : 'it is absent' });
    } finally {
      await release();
    }
  }

  private remoteFor(data: QueuedStage): Promise<RemoteCache> {
    const spec: RemoteSpec = this.o.remote ?? { url: data.remote.url, endpoint: data.remote.endpoint, pull: true, push: true, from: `job ${data.key.slice(0, 12)}` };
    let r = this.remotes.get(spec.url);
    if (!r) { r = openRemote(spec); this.remotes.set(spec.url, r); }
    return r;
  }

  private registryFor(plugins: string[]): Promise<Registry> {
    const id = plugins.join('\n');
    let reg = this.registries.get(id);
    if (!reg) {
      reg = (async () => {
        const r = new Registry();
        for (const p of plugins) {
          const { plugin, meta } = await loadPlugin(p, this.o.dir);
          r.addPlugin(plugin, meta);
        }
        return r;
      })();
      this.registries.set(id, reg);
    }
    return reg;
  }

  /** This machine's cores shared by the stages it runs at once (the submitter's count is for its own cores). */
  private threads(): number {
    return Math.max(1, Math.floor(availableParallelism() / Math.max(1, this.o.concurrency ?? 1)));
  }

  async close(): Promise<void> {
    this.pool.close();
    for (const r of this.remotes.values()) (await r.catch(() => undefined))?.close();
  }
}
