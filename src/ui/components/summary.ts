/**
 * @fileoverview End-of-run summary: outcome, time, stages run and cache hits, the final
 * metrics of each stage, and where the artifacts are.
 */
import { createElement as h, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { RunSummary } from '../../runner/lifecycle.js';
import { duration, metric } from '../format.js';
import type { StageView } from '../state.js';

export interface SummaryProps { summary: RunSummary; stages: StageView[]; cancelled: boolean }

export function Summary({ summary: s, stages, cancelled }: SummaryProps): ReactElement {
  const c = s.counts;
  const outcome = cancelled ? 'cancelled' : s.ok ? 'ok' : 'failed';
  const color = cancelled ? 'yellow' : s.ok ? 'green' : 'red';
  const parts = [`${c.done} ran`, `${c.cached} cached`, c.failed ? `${c.failed} failed` : '', c.cancelled ? `${c.cancelled} cancelled` : '', c.skipped ? `${c.skipped} skipped` : ''].filter(Boolean);
  const withMetrics = stages.filter((st) => st.metrics && Object.keys(st.metrics).length > 0);
  const withOutputs = stages.filter((st) => st.outputs && Object.keys(st.outputs).length > 0);
  return h(Box, { flexDirection: 'column', marginTop: 1 },
    h(Text, null, h(Text, { color, bold: true }, outcome), ` · ${parts.join(' · ')} · ${duration(s.durationMs)} · run ${s.runId}`),
    ...withMetrics.map((st) => h(Text, { key: `m-${st.name}` },
      h(Text, { dimColor: true }, `  ${st.name}: `),
      Object.entries(st.metrics!).map(([k, v]) => `${k} ${metric(v)}`).join('  '))),
    withOutputs.length > 0 ? h(Text, { dimColor: true }, 'artifacts:') : null,
    ...withOutputs.flatMap((st) => Object.entries(st.outputs!).map(([port, path]) => h(Text, { key: `o-${st.name}-${port}`, wrap: 'truncate-middle' },
      `  ${st.name}.${port}  `, h(Text, { dimColor: true }, path)))),
  );
}
