/**
 * @fileoverview One row per stage: status icon and word, name, elapsed time, and for a
 * running stage a progress bar with done/total, rate and ETA (or the error of a failed one).
 *
 *   ✔ source    done      1.2 s
 *   ⠋ pretrain  running   12.0 s  ████▌░░░░░░░  38% 380/1000 steps · 31.6 steps/s · ETA 19.6 s
 *   · eval      queued
 */
import { createElement as h, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { StageStatus } from '../../runner/lifecycle.js';
import { bar, clip, count, duration, rate } from '../format.js';
import type { StageView } from '../state.js';

const ICON: Record<StageStatus, { icon: string; color: string }> = {
  cached: { icon: '✓', color: 'green' },
  queued: { icon: '·', color: 'gray' },
  running: { icon: '▶', color: 'cyan' },
  done: { icon: '✔', color: 'green' },
  failed: { icon: '✖', color: 'red' },
  cancelled: { icon: '■', color: 'yellow' },
  skipped: { icon: '○', color: 'yellow' },
};

export interface StageListProps { stages: StageView[]; now: number; width: number }

function progressText(s: StageView, width: number): string {
  const p = s.progress;
  if (!p) return '';
  const parts: string[] = [];
  if (p.total) parts.push(`${bar(p.done / p.total, Math.max(6, Math.min(20, width - 70)))} ${String(Math.floor((100 * p.done) / p.total)).padStart(3)}%`);
  parts.push(`${count(p.done)}${p.total ? `/${count(p.total)}` : ''}${p.unit ? ` ${p.unit}` : ''}`);
  const r = rate(s.rate, p.unit);
  if (r) parts.push(`· ${r}`);
  if (s.etaMs !== undefined && p.total) parts.push(`· ETA ${duration(s.etaMs)}`);
  if (p.message) parts.push(`· ${p.message}`);
  return parts.join(' ');
}

function elapsed(s: StageView, now: number): string {
  if (s.status === 'running' && s.startedAt !== undefined) return duration(now - s.startedAt);
  if (s.status === 'done' || s.status === 'failed' || s.status === 'cancelled') return duration(s.durationMs ?? 0);
  return '';
}

function StageRow({ s, now, width, nameWidth }: { s: StageView; now: number; width: number; nameWidth: number }): ReactElement {
  const { icon, color } = ICON[s.status];
  const detail = s.status === 'running' ? progressText(s, width)
    : s.status === 'failed' || s.status === 'cancelled' || s.status === 'skipped' ? clip(s.error ?? '', Math.max(20, width - nameWidth - 30)) : '';
  return h(Box, null,
    h(Text, { color }, `${icon} `),
    h(Text, { bold: s.status === 'running' }, s.name.padEnd(nameWidth)),
    h(Text, { color }, ` ${s.status.padEnd(8)}`),
    h(Text, { dimColor: true }, ` ${elapsed(s, now).padStart(8)}  `),
    h(Text, { color: s.status === 'failed' ? 'red' : undefined, wrap: 'truncate-end' }, detail),
  );
}

export function StageList({ stages, now, width }: StageListProps): ReactElement {
  const nameWidth = Math.min(24, Math.max(6, ...stages.map((s) => s.name.length)));
  return h(Box, { flexDirection: 'column' },
    ...stages.map((s) => h(StageRow, { key: s.name, s, now, width, nameWidth })));
}
