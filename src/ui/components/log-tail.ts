/**
 * @fileoverview The log: the last few lines while running, or (key `l`) as many as the
 * terminal has room for.
 */
import { createElement as h, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import { clip } from '../format.js';
import type { LogLine } from '../state.js';

export interface LogTailProps { logs: LogLine[]; lines: number; width: number; full: boolean }

export function LogTail({ logs, lines, width, full }: LogTailProps): ReactElement | null {
  if (logs.length === 0) return null;
  const shown = logs.slice(-lines);
  const stageWidth = Math.min(16, Math.max(...shown.map((l) => l.stage.length)));
  return h(Box, { flexDirection: 'column', marginTop: 1 },
    h(Text, { dimColor: true }, full ? `logs (${logs.length} lines, l: hide)` : 'logs (l: full logs)'),
    ...shown.map((l, i) => h(Text, { key: `${logs.length - shown.length + i}`, wrap: 'truncate-end' },
      h(Text, { dimColor: true }, `${l.stage.padEnd(stageWidth)} `),
      h(Text, { color: l.level === 'warn' ? 'yellow' : undefined, dimColor: l.level === 'debug' }, clip(l.message, Math.max(20, width - stageWidth - 2))),
    )),
  );
}
