/**
 * @fileoverview The ink view of a run: header, stage rows, the training panel, a log tail and
 * (at the end) the summary. Keys: `q` / Ctrl-C cancel gracefully, `l` toggles full logs.
 *
 *   trainyard · tiny.yaml · run 20250101T120000-abc123        q cancel · l logs
 *   ✔ source   done      1.2 s
 *   ▶ pretrain running   12.0 s  ████▌░░░  38% 380/1000 steps · 31.6 steps/s · ETA 19.6 s
 *   ╭ training · pretrain ─╮ …
 *   logs …
 */
import { createElement as h, useEffect, useState, useSyncExternalStore, type ReactElement } from 'react';
import { Box, Text, useInput, useStdin, useStdout } from 'ink';
import { basename } from 'node:path';
import { LogTail } from './components/log-tail.js';
import { StageList } from './components/stage-list.js';
import { Summary } from './components/summary.js';
import { TrainingPanel } from './components/training-panel.js';
import type { UiState } from './state.js';

export interface AppProps {
  model: UiState;
  /** Called on `q` / Ctrl-C with the number of presses so far (1 = graceful, 2+ = force). */
  onCancel?: (presses: number) => void;
  /** Clock for elapsed times. @default Date.now */
  now?: () => number;
  /** Refresh interval for elapsed times in ms (0 = only on events). @default 500 */
  tickMs?: number;
  /** Log lines shown when collapsed. @default 5 */
  tailLines?: number;
}

function useTick(ms: number): void {
  const [, set] = useState(0);
  useEffect(() => {
    if (ms <= 0) return undefined;
    const t = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}

export function App({ model, onCancel, now = Date.now, tickMs = 500, tailLines = 5 }: AppProps): ReactElement {
  const snap = useSyncExternalStore(model.subscribe, model.snapshot);
  const [fullLogs, setFullLogs] = useState(false);
  const [presses, setPresses] = useState(0);
  const { isRawModeSupported } = useStdin();
  const { stdout } = useStdout();
  useTick(snap.summary ? 0 : tickMs);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      const n = presses + 1;
      setPresses(n);
      model.setCancelling();
      onCancel?.(n);
    } else if (input === 'l') setFullLogs((v) => !v);
  }, { isActive: isRawModeSupported === true && !snap.summary });
  const width = Math.max(40, stdout?.columns ?? 80);
  const rows = Math.max(10, stdout?.rows ?? 24);
  // Rows taken by everything but the log lines: header, stages, panel (7), log title and margin, slack.
  const used = 1 + snap.stages.length + (snap.training ? 7 : 0) + 2 + 2;
  const full = fullLogs && !snap.summary; // the summary needs the room at the end
  const lines = full ? Math.max(tailLines, rows - used) : tailLines;
  const keys = snap.summary ? '' : snap.cancelling ? 'cancelling… (q again to kill)' : 'q cancel · l logs';
  return h(Box, { flexDirection: 'column' },
    h(Box, { justifyContent: 'space-between', width },
      h(Text, null, h(Text, { bold: true, color: 'cyan' }, 'trainyard'), h(Text, { dimColor: true }, ` · ${snap.pipeline ? basename(snap.pipeline) : ''}${snap.runId ? ` · run ${snap.runId}` : ''}`)),
      h(Text, { color: snap.cancelling ? 'yellow' : undefined, dimColor: !snap.cancelling }, keys)),
    h(StageList, { stages: snap.stages, now: now(), width }),
    snap.training ? h(TrainingPanel, { training: snap.training, width }) : null,
    h(LogTail, { logs: snap.logs, lines, width, full }),
    snap.summary ? h(Summary, { summary: snap.summary, stages: snap.stages, cancelled: snap.cancelling }) : null,
  );
}
