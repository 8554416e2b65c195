/**
 * @fileoverview The panel of the training stage that is running: step/total, training and
 * validation loss as sparklines (the whole curve, downsampled to fit), learning rate,
 * tokens/s, ETA and the latest text sample.
 *
 *   ╭ training · pretrain ─────────────────────────────────────────╮
 *   │ step 380/1000  lr 9.51e-4  1.2k tok/s  ETA 19.6 s            │
 *   │ loss  3.412 ▇▇▆▅▅▄▄▃▃▃▂▂▂▂▁▁▁                                 │
 *   │ val   3.598 ▇▅▃▂▁                                             │
 *   │ sample @300  "the whale was a great …"                       │
 *   ╰──────────────────────────────────────────────────────────────╯
 */
import { createElement as h, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import { clip, count, downsample, duration, metric, sparkline } from '../format.js';
import type { TrainingView } from '../state.js';

export interface TrainingPanelProps { training: TrainingView; width: number }

/** `label value chart` in `width` cells: 5 + 7 + 1 + chart. */
function Curve({ label, values, width, color }: { label: string; values: number[]; width: number; color: string }): ReactElement {
  const last = values[values.length - 1];
  const chartWidth = Math.max(10, width - 13);
  return h(Box, null,
    h(Text, { dimColor: true }, label.padEnd(5)),
    h(Text, { bold: true }, (last === undefined ? '—' : metric(last)).padStart(7)),
    h(Text, { color }, ` ${sparkline(downsample(values, chartWidth), chartWidth)}`),
  );
}

export function TrainingPanel({ training: t, width }: TrainingPanelProps): ReactElement {
  const head = [
    `step ${t.step ?? 0}${t.total ? `/${t.total}` : ''}`,
    t.lr !== undefined ? `lr ${metric(t.lr)}` : '',
    t.tokensPerS !== undefined ? `${count(Math.round(t.tokensPerS))} tok/s` : '',
    t.etaMs !== undefined ? `ETA ${duration(t.etaMs)}` : '',
  ].filter(Boolean).join('  ');
  const outer = Math.min(width, 100);
  const inner = Math.max(30, outer - 4); // border and padding take 2 cells each side
  return h(Box, { flexDirection: 'column', borderStyle: 'round', borderColor: 'magenta', paddingX: 1, width: outer },
    h(Text, { color: 'magenta', bold: true }, `training · ${t.stage}`),
    h(Text, null, head),
    h(Curve, { label: 'loss', values: t.loss, width: inner, color: 'cyan' }),
    h(Curve, { label: 'val', values: t.valLoss.map((v) => v.value), width: inner, color: 'yellow' }),
    t.sample ? h(Text, { wrap: 'truncate-end' }, h(Text, { dimColor: true }, `sample @${t.sample.step}  `), clip(JSON.stringify(t.sample.text), inner - 14)) : null,
  );
}
