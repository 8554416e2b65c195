/**
 * @fileoverview The report a fine-tuning stage leaves (sft, dpo): every final metric through
 * ctx, the prompts' answers before → after in the log, and metrics.json + samples.jsonl in
 * the report output.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import type { StageContext } from '../define.js';

export async function writeTuningReport(ctx: StageContext, metrics: Record<string, number>, prompts: string[], before: string[], after: string[]): Promise<void> {
  for (const [k, v] of Object.entries(metrics)) ctx.metric(k, v);
  prompts.forEach((p, i) => ctx.log.info(`prompt ${JSON.stringify(p)}: before ${JSON.stringify(before[i])} → after ${JSON.stringify(after[i])}`));
  const dir = ctx.outputs.report!.dir;
  await writeFileAtomic(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  await writeFileAtomic(join(dir, 'samples.jsonl'), prompts.map((p, i) => JSON.stringify({ prompt: p, before: before[i], after: after[i] })).join('\n') + (prompts.length ? '\n' : ''));
}
