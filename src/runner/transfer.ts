/**
 * @fileoverview `trainyard pull` and `push` over a plan: pull walks the stages in order,
 * taking each result from the local store or else from the remote cache (a stage's key
 * needs its inputs, so a stage whose upstream is in neither is reported, not guessed);
 * push uploads every up-to-date result the remote lacks.
 */
import type { ArtifactRef } from '../artifacts/kinds.js';
import { lockKey } from '../cache/key-lock.js';
import type { RemoteCache } from '../cache/remote/cache.js';
import { computeStatus, evaluateStage, inputRefs, type EngineState } from './staleness.js';

/** What happened to one stage. */
export interface TransferRow {
  name: string;
  status: 'local' | 'pulled' | 'pushed' | 'present' | 'absent' | 'corrupt' | 'blocked' | 'not-cached';
  files?: number;
  bytes?: number;
  detail?: string;
}

/** Brings the stages' results into the local store from `remote` where they are missing. */
export async function pullStages(state: EngineState, remote: RemoteCache, stages: string[], report: (row: TransferRow) => void): Promise<TransferRow[]> {
  const results = new Map<string, Record<string, ArtifactRef>>();
  const rows: TransferRow[] = [];
  const emit = (row: TransferRow) => { rows.push(row); report(row); };
  for (const name of stages) {
    const inputs = inputRefs(state, name, results);
    if (!inputs) { emit({ name, status: 'blocked', detail: 'an upstream result is in neither cache' }); continue; }
    const ev = await evaluateStage(state, name, inputs, false);
    if (ev.manifest) { results.set(name, state.store.refs(ev.manifest, name)); emit({ name, status: 'local' }); continue; }
    // The key's lock, so a run computing this stage here is not raced.
    const release = await lockKey(state.store.locksDir(), ev.key, {});
    try {
      const again = await state.store.lookup(ev.key);
      const r = again.manifest ? { status: 'local' as const, manifest: again.manifest } : await remote.pull(state.store, ev.key);
      if (r.status === 'pulled' || r.status === 'local') {
        results.set(name, state.store.refs(r.manifest, name));
        emit(r.status === 'pulled' ? { name, status: 'pulled', files: r.files, bytes: r.bytes } : { name, status: 'local' });
      } else emit({ name, status: r.status, detail: r.status === 'corrupt' ? r.reason : undefined });
    } finally {
      await release();
    }
  }
  return rows;
}

/** Uploads the up-to-date results of `stages` that the remote lacks. */
export async function pushStages(state: EngineState, remote: RemoteCache, stages: string[], report: (row: TransferRow) => void): Promise<TransferRow[]> {
  const rows: TransferRow[] = [];
  for (const r of await computeStatus(state, stages, false)) {
    const row: TransferRow = r.manifest
      ? { name: r.name, ...(await remote.push(state.store, r.manifest.key)) }
      : { name: r.name, status: 'not-cached', detail: r.reasons.join('; ') };
    rows.push(row);
    report(row);
  }
  return rows;
}
