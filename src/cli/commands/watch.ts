/**
 * @fileoverview `trainyard run --watch`: the CLI side of src/watch. Picks the renderer for
 * each run (ink on a terminal, plain lines, or JSON events), records each run, prints
 * positioned config errors while watching, and stops on Ctrl-C / `q` (a running stage gets
 * its grace period to checkpoint; a second Ctrl-C kills).
 *
 * Extra JSON events: watching {files} · watchChange {files} · watchCancel {stages} · watchError {errors}
 */
import { relative } from 'node:path';
import pc from 'picocolors';
import { TrainyardErrorList, type TrainyardError } from '../../errors/index.js';
import { CompositeLifecycle, type RunLifecycle } from '../../runner/lifecycle.js';
import { JsonRenderer, PlainRenderer } from '../../ui/line-renderers.js';
import { RunRecorder } from '../../report/run-record.js';
import { shouldUseInkUi, startInkUi } from '../../ui/index.js';
import { watchPipeline, type WatchHandle } from '../../watch/index.js';
import { loadEngine, pipelinePath } from '../engine.js';
import { EXIT, reportError } from '../output.js';
import type { RunCliOptions } from './run.js';

export interface WatchCliOptions extends RunCliOptions {
  /** Stages that may finish even when an edit makes them stale. */
  finish?: string[];
}

/** Paths under the current folder relative, others absolute. */
const rel = (files: string[]) => files.map((f) => {
  const r = relative(process.cwd(), f);
  return r && !r.startsWith('..') ? r : f;
});

export async function watchCommand(targets: string[], o: WatchCliOptions): Promise<number> {
  const file = pipelinePath(o.file);
  const out = process.stdout;
  const json = (event: string, data: object) => out.write(JSON.stringify({ event, ...data }) + '\n');
  const say = (s: string) => out.write(pc.dim(s) + '\n');
  const ink = shouldUseInkUi(o);
  let handle: WatchHandle | undefined;
  let stops = 0;
  const stop = () => {
    stops += 1;
    if (stops > 1) process.exit(EXIT.CANCELLED);
    process.stderr.write('\nstopping — a running stage gets a moment to checkpoint (press Ctrl-C again to kill)\n');
    void handle?.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    handle = await watchPipeline({
      file, load: () => loadEngine(o), selection: { targets, from: o.from, until: o.until, only: o.only },
      jobs: o.jobs ? Math.max(1, Number.parseInt(o.jobs, 10) || 1) : undefined, keepGoing: o.keepGoing, finish: o.finish,
    }, {
      onRun: async (run) => {
        const p = run.state.compiled.pipeline;
        const params = Object.fromEntries([...p.stages.values()].map((s) => [s.name, s.options]));
        const recorder = new RunRecorder(run.state.store.runsDir(), run.runId, { pipeline: p.file, params, backend: p.backend });
        const view: RunLifecycle = o.json ? new JsonRenderer(out)
          : ink ? (await startInkUi({ onCancel: stop, verbose: o.verbose })).lifecycle
          : new PlainRenderer(out, { verbose: o.verbose });
        return new CompositeLifecycle([view, recorder]);
      },
      onError: (errors: TrainyardError[]) => {
        if (o.json) json('watchError', { errors: errors.map((e) => e.toJSON()) });
        else reportError(new TrainyardErrorList(errors), process.argv.includes('--debug'));
      },
      onChange: (files) => (o.json ? json('watchChange', { files: rel(files) }) : say(`changed: ${rel(files).join(', ')}`)),
      onCancel: (stages) => (o.json ? json('watchCancel', { stages }) : say(`cancelling ${stages.join(', ')}: its inputs changed`)),
      onWatching: (files) => (o.json ? json('watching', { files: rel(files) }) : say(`watching ${files.length} file(s) for changes · Ctrl-C to stop`)),
    });
    await handle.done;
    return EXIT.OK;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

