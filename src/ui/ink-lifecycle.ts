/**
 * @fileoverview Mounts the ink app for one run and exposes it as a RunLifecycle. ink and React
 * are imported lazily, so plain and JSON runs never load them.
 */
import type { RunLifecycle, RunSummary } from '../runner/lifecycle.js';
import { UiState } from './state.js';

export interface InkUiOptions {
  /** `q` / Ctrl-C: 1 = cancel gracefully (abort the run), 2+ = the user insists. */
  onCancel: (presses: number) => void;
  verbose?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export interface InkUi {
  lifecycle: RunLifecycle;
  model: UiState;
  /** Unmounts (idempotent); the last frame stays on screen. */
  close(): Promise<void>;
}

/** Renders the run UI to the terminal; call `close()` after the run (runEnd also closes it). */
export async function startInkUi(opts: InkUiOptions): Promise<InkUi> {
  const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('./app.js')]);
  const model = new UiState({ verbose: opts.verbose });
  const instance = render(createElement(App, { model, onCancel: opts.onCancel }), {
    stdout: opts.stdout ?? process.stdout,
    stdin: opts.stdin ?? process.stdin,
    exitOnCtrlC: false, // Ctrl-C arrives as a key in raw mode; App turns it into a graceful cancel
    patchConsole: true,
    maxFps: 15,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise((r) => setTimeout(r, 50)); // let the final frame flush
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
  };
  const lifecycle: RunLifecycle = {
    runStart: (i) => model.runStart(i),
    stageStart: (n, t) => model.stageStart(n, t),
    stageProgress: (n, p) => model.stageProgress(n, p),
    stageLog: (n, l, m) => model.stageLog(n, l, m),
    stageMetric: (n, m, v, s) => model.stageMetric(n, m, v, s),
    stageCached: (n, o) => model.stageCached(n, o),
    stageEnd: (i) => model.stageEnd(i),
    runEnd: async (s: RunSummary) => { model.runEnd(s); await close(); },
  };
  return { lifecycle, model, close };
}
