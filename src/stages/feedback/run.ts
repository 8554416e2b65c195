/**
 * @fileoverview The feedback stage's body: gather the prompts, load the policy, judge every
 * prompt (src/label/judge.ts), split the pairs into train/validation by a seeded shuffle and
 * write them with counts and score statistics.
 */
import { resolve, join } from 'node:path';
import { conversationFiles, readConversationFiles } from '../../artifacts/conversations.js';
import { errors } from '../../errors/index.js';
import { judgeBatch, resolveJudge, splitLines } from '../../label/judge.js';
import { readPrompts, unique, userTurns } from '../../label/prompts.js';
import type { PreferenceLine } from '../../label/records.js';
import { createSampler } from '../../label/sampler.js';
import { loadModel } from '../../model/load.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { seedFrom } from '../../util/random.js';
import type { StageContext } from '../define.js';
import type { FeedbackOptions } from '../options.gen.js';

/** with.prompts, then prompts_file's, then the sft input's first user turns; repeats once. */
async function gatherPrompts(ctx: StageContext, o: FeedbackOptions): Promise<string[]> {
  const fromFile = o.prompts_file ? await readPrompts(resolve(ctx.cwd, o.prompts_file)) : [];
  const input = ctx.inputs.prompts?.[0]?.path;
  const fromInput = input ? userTurns(await readConversationFiles((await conversationFiles(input)).train)) : [];
  const all = unique([...o.prompts, ...fromFile, ...fromInput]);
  if (all.length === 0) throw errors.feedbackNoPrompts();
  return all;
}

/** Completions drawn in one batch (a prompt's n stay together). */
const BATCH_ROWS = 64;

const jsonl = (lines: PreferenceLine[]) => lines.map((l) => JSON.stringify(l) + '\n').join('');
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export async function runFeedback(ctx: StageContext, o: FeedbackOptions): Promise<void> {
  const judge = resolveJudge(ctx.registry, o.reward, o.reward_options as Record<string, unknown>);
  const prompts = await gatherPrompts(ctx, o);
  ctx.log.info(`feedback: ${prompts.length} prompts × n ${o.n}, reward ${o.reward}, temperature ${o.temperature}, max_tokens ${o.max_tokens}, top_k ${o.top_k}, chat ${o.chat}, validation_fraction ${o.validation_fraction}`);
  await ctx.tensors();
  const dir = ctx.inputs.model![0]!.path;
  const { model, tokenizer } = await loadModel(dir);
  const groups: PreferenceLine[][] = []; // per prompt: a prompt's pairs stay in one split
  try {
    const sampler = createSampler(model, tokenizer, dir, { chat: o.chat, temperature: o.temperature, maxTokens: o.max_tokens, topK: o.top_k });
    const seed = seedFrom(`${ctx.seed}:${ctx.name}`);
    // Prompts go in batches of about BATCH_ROWS completions, drawn together with the KV cache.
    const per = Math.max(1, Math.floor(BATCH_ROWS / o.n));
    for (let i = 0; i < prompts.length; i += per) {
      if (ctx.signal.aborted) throw errors.cancelled();
      const batch = prompts.slice(i, i + per);
      for (const lines of await judgeBatch(sampler, judge, batch, { n: o.n, seed, chat: o.chat, pairs: o.pairs_per_prompt })) if (lines.length) groups.push(lines);
      ctx.progress({ done: i + batch.length, total: prompts.length, unit: 'prompts' });
    }
  } finally {
    model.dispose();
  }
  const byPrompt = splitLines(groups, o.validation_fraction, seedFrom(`${ctx.seed}:${ctx.name}:validation`));
  const split = { train: byPrompt.train.flat(), validation: byPrompt.validation.flat() };
  const pairs = groups.flat();
  const out = ctx.outputs.pairs!.dir;
  await writeFileAtomic(join(out, 'train.jsonl'), jsonl(split.train));
  await writeFileAtomic(join(out, 'validation.jsonl'), jsonl(split.validation));
  const margin = mean(pairs.map((p) => Number(p.chosen_score) - Number(p.rejected_score)));
  ctx.stats({ prompts: prompts.length, pairs: pairs.length, skipped_ties: prompts.length - groups.length, train: split.train.length, validation: split.validation.length });
  ctx.metric('pairs', pairs.length);
  ctx.metric('skipped_ties', prompts.length - groups.length);
  ctx.metric('mean_chosen_score', mean(pairs.map((p) => Number(p.chosen_score))));
  ctx.metric('mean_rejected_score', mean(pairs.map((p) => Number(p.rejected_score))));
  ctx.metric('mean_margin', margin);
}
