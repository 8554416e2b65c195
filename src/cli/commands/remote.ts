/**
 * @fileoverview `trainyard push [stages…]` and `trainyard pull [stages…]`: share results
 * through the remote cache (`remote:` in the pipeline, TRAINYARD_REMOTE, --remote or the
 * user config file). `run` does both on its own (pull on a miss, push after computing);
 * these are for results computed before a remote was set, and for fetching ahead of time.
 */
import pc from 'picocolors';
import { errors } from '../../errors/index.js';
import { planSelection } from '../../graph/plan.js';
import { pullStages, pushStages, type TransferRow } from '../../runner/transfer.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';
import { formatBytes } from './ls.js';

const WORDS: Record<TransferRow['status'], (r: TransferRow) => string> = {
  local: () => pc.green('up to date locally'),
  pulled: (r) => pc.green(`pulled (${r.files} file${r.files === 1 ? '' : 's'}, ${formatBytes(r.bytes ?? 0)})`),
  pushed: (r) => pc.green(`pushed (${r.files} new file${r.files === 1 ? '' : 's'}, ${formatBytes(r.bytes ?? 0)})`),
  present: () => pc.green('already in the remote'),
  absent: () => pc.yellow('not in the remote'),
  corrupt: (r) => pc.red(`remote entry unusable: ${r.detail}`),
  blocked: (r) => pc.yellow(`unknown: ${r.detail}`),
  'not-cached': (r) => pc.yellow(`not cached locally (${r.detail}); run it first`),
};

async function transfer(command: 'push' | 'pull', targets: string[], o: CommonOptions & { json?: boolean }): Promise<number> {
  const state = await loadEngine(o);
  const remote = state.remote;
  if (!remote) throw errors.noRemote({ command });
  const stages = planSelection(state.compiled, { targets }).stages;
  const width = Math.max(4, ...stages.map((s) => s.length));
  const print = (r: TransferRow) => { if (!o.json) process.stdout.write(`${r.name.padEnd(width)}  ${WORDS[r.status](r)}\n`); };
  try {
    const rows = await (command === 'push' ? pushStages : pullStages)(state, remote, stages, print);
    if (o.json) process.stdout.write(JSON.stringify({ remote: remote.url, stages: rows }, null, 2) + '\n');
    else {
      const moved = rows.filter((r) => r.status === 'pulled' || r.status === 'pushed').length;
      process.stdout.write(pc.dim(`${moved} of ${rows.length} stage(s) ${command === 'push' ? 'pushed to' : 'pulled from'} ${remote.url}\n`));
    }
    return EXIT.OK;
  } finally {
    remote.close();
  }
}

export const pushCommand = (targets: string[], o: CommonOptions & { json?: boolean }): Promise<number> => transfer('push', targets, o);
export const pullCommand = (targets: string[], o: CommonOptions & { json?: boolean }): Promise<number> => transfer('pull', targets, o);
