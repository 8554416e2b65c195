/**
 * @fileoverview `trainyard label <model> --prompts p.jsonl --out prefs.jsonl`: human
 * preference labelling in the terminal (ink: the prompt, two samples side by side, keys
 * 1/← 2/→ t s q), each answer appended and fsynced at once, resuming where it stopped. With
 * `--judge <reward>` the same file is filled without a person: n samples per prompt scored by
 * a plugin reward function, best vs worst (the feedback stage's code).
 */
import { resolve } from 'node:path';
import pc from 'picocolors';
import { errors } from '../../errors/index.js';
import type { Judge } from '../../label/judge.js';
import type { PreferenceLog } from '../../label/log.js';
import type { Sampler } from '../../label/sampler.js';
import { loadEngine, pipelinePath, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';
import { modelDir } from './sample.js';

export interface LabelOptions extends CommonOptions {
  prompts: string;
  out: string;
  judge?: string;
  rewardOptions?: string;
  plugin?: string[];
  n?: string;
  maxTokens?: string;
  temperature?: string;
  topK?: string;
  seed?: string;
  chat?: boolean;
  backend?: string;
}

const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));

/** The reward named by --judge, from the pipeline's plugins (when there is a pipeline file) and --plugin modules. */
async function judgeFor(o: LabelOptions): Promise<Judge> {
  const { Registry } = await import('../../plugins/registry.js');
  const { loadPlugin } = await import('../../plugins/load.js');
  const { resolveJudge } = await import('../../label/judge.js');
  let registry = new Registry();
  let hasPipeline = true;
  try { pipelinePath(o.file); } catch { hasPipeline = false; }
  if (hasPipeline) registry = (await loadEngine(o)).compiled.pipeline.registry;
  for (const spec of o.plugin ?? []) {
    const { plugin, meta } = await loadPlugin(spec, process.cwd());
    registry.addPlugin(plugin, meta);
  }
  let options: Record<string, unknown> = {};
  if (o.rewardOptions) {
    try { options = JSON.parse(o.rewardOptions) as Record<string, unknown>; } catch { throw errors.rewardOptionsInvalid({ reward: o.judge!, problem: '--reward-options is not valid JSON' }); }
  }
  return resolveJudge(registry, o.judge!, options);
}

/** --judge: every pending prompt scored and appended (a tie is recorded as skipped, so a rerun does not redo it). */
async function judgeAll(log: PreferenceLog, pending: string[], sampler: Sampler, judge: Judge, o: LabelOptions): Promise<number> {
  const { judgePrompt } = await import('../../label/judge.js');
  let pairs = 0;
  for (const [i, prompt] of pending.entries()) {
    const line = await judgePrompt(sampler, judge, prompt, { n: num(o.n, 4), seed: num(o.seed, 1337), chat: o.chat });
    await log.append(line ?? { prompt, skipped: true, reason: 'tied scores' });
    if (line) pairs++;
    process.stderr.write(`\r${i + 1}/${pending.length} prompts · ${pairs} pairs`);
  }
  process.stderr.write('\n');
  process.stdout.write(`${pairs} pairs, ${pending.length - pairs} ties skipped → ${log.file}\n`);
  return EXIT.OK;
}

/** The interactive tool: two samples per prompt (seeds k=0 and k=1, as the judge's first two), answered by keys. */
async function askAll(log: PreferenceLog, pending: string[], sampler: Sampler, o: LabelOptions): Promise<number> {
  const [{ render }, { createElement }, { LabelApp }, { answerLine }, { seedFrom }] = await Promise.all([
    import('ink'), import('react'), import('../../label/app.js'), import('../../label/records.js'), import('../../util/random.js')]);
  const seed = num(o.seed, 1337);
  let result = { answered: 0, quit: false };
  const app = render(createElement(LabelApp, {
    file: o.out, prompts: pending, doneBefore: log.done.size,
    draw: async (prompt) => ({
      prompt, chat: o.chat,
      left: await sampler.sample(prompt, seedFrom(`${seed}:${prompt}:0`)),
      right: await sampler.sample(prompt, seedFrom(`${seed}:${prompt}:1`)),
    }),
    answer: (pair, choice) => log.append(answerLine(pair, choice)),
    onEnd: (r) => { result = r; },
  }), { exitOnCtrlC: false });
  await app.waitUntilExit();
  const left = pending.length - result.answered;
  process.stdout.write(left > 0
    ? `${result.answered} answers saved to ${o.out}; ${left} prompts left (run the same command to resume)\n`
    : `all prompts answered · ${o.out}\n`);
  return EXIT.OK;
}

export async function labelCommand(target: string, o: LabelOptions): Promise<number> {
  if (!o.judge && !(process.stdin.isTTY && process.stdout.isTTY)) throw errors.labelNeedsTty();
  const dir = await modelDir(target, o);
  const { readPrompts } = await import('../../label/prompts.js');
  const { openPreferenceLog } = await import('../../label/log.js');
  const prompts = await readPrompts(resolve(o.prompts));
  const judge = o.judge ? await judgeFor(o) : null;
  const log = await openPreferenceLog(resolve(o.out));
  try {
    if (log.repaired) process.stderr.write(pc.yellow(`${log.repaired}\n`));
    const pending = prompts.filter((p) => !log.done.has(p));
    if (pending.length === 0) { process.stdout.write(`all ${prompts.length} prompts already answered in ${o.out}\n`); return EXIT.OK; }
    const { setupBackend } = await import('../../backends/index.js');
    await setupBackend(o.backend ?? 'auto');
    const [{ loadModel }, { createSampler }] = await Promise.all([import('../../model/load.js'), import('../../label/sampler.js')]);
    const { model, tokenizer } = await loadModel(dir);
    try {
      const sampler = createSampler(model, tokenizer, dir, { chat: o.chat, temperature: num(o.temperature, 1), maxTokens: num(o.maxTokens, 64), topK: num(o.topK, 0) });
      return judge ? await judgeAll(log, pending, sampler, judge, o) : await askAll(log, pending, sampler, o);
    } finally {
      model.dispose();
    }
  } finally {
    await log.close();
  }
}
