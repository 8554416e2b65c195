/**
 * @fileoverview The ppo stage's body: the policy (with a zero-initialised value head) and a
 * frozen reference copy from the `model` input, the scorer (plugin reward or reward model),
 * the prompts; PPO through the shared session (RolloutSource + ppoObjective: Trainer's clip,
 * AdamW and accumulation, the session's checkpoints and exact resume); then the policy's
 * model folder and a report with samples and the reward/KL table before and after.
 */
import { join } from 'node:path';
import { backendLine, type StageContext } from '../define.js';
import type { PpoOptions } from '../options.gen.js';
import { readTokenizerConfig } from '../../artifacts/conversations.js';
import { errors } from '../../errors/index.js';
import { resolveTemplate } from '../../sft/template.js';
import { COMPANION_FILES, saveModelFolder } from '../../model/checkpoint.js';
import { GPT } from '../../model/gpt.js';
import { loadModel } from '../../model/load.js';
import { AdaptiveKlController, FixedKlController, ValueHead } from '../../rl/index.js';
import { trainingEvents } from '../../train/events.js';
import { trainSession } from '../../train/session.js';
import { Trainer } from '../../train/trainer.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { Rng, seedFrom } from '../../util/random.js';
import { ppoObjective } from './objective.js';
import { evalPromptTexts, promptEncoder, promptTexts, type Prompt } from './prompts.js';
import { modelScorer, pluginScorer, type Scorer } from './reward.js';
import { rollout, type RolloutBuffer, type RolloutConfig, type RolloutModels } from './rollout.js';
import { RolloutSource } from './source.js';

async function scorerFor(ctx: StageContext, o: PpoOptions, modelDir: string): Promise<Scorer> {
  const input = ctx.inputs.reward?.[0];
  if (input && o.reward) throw errors.ppoTwoRewards({ reward: o.reward });
  if (input) return modelScorer(input.path, input.from, o.chat, o.chat ? resolveTemplate('tokenizer_config', await readTokenizerConfig(modelDir)) : null);
  if (!o.reward) throw errors.ppoNoReward();
  return pluginScorer(ctx, o.reward, (o.reward_options ?? {}) as Record<string, unknown>);
}

function describe(o: PpoOptions, scorer: Scorer, steps: number, prompts: number): string {
  const kl = o.adaptive_kl ? `adaptive KL β₀ ${o.kl_coef} → target ${o.kl_target}, horizon ${o.kl_horizon}` : `fixed KL β ${o.kl_coef}`;
  return `ppo: ${scorer.describe}; ${o.iterations} iterations × ${o.batch_size} rollouts of ${o.min_new_tokens > 0 ? `${o.min_new_tokens}–` : "≤ "}${o.max_new_tokens} tokens from ${prompts} prompts ` +
    `(temperature ${o.temperature}, top_k ${o.top_k}, top_p ${o.top_p}), ${o.ppo_epochs} epochs × minibatch ${o.mini_batch_size}×${o.grad_accum} = ${steps} steps; ` +
    `${kl} (${o.kl_estimator}), γ ${o.gamma} λ ${o.lam}, clip ${o.cliprange}/${o.cliprange_value}, vf_coef ${o.vf_coef}, entropy ${o.entropy_coef}, ` +
    `whiten_rewards ${o.whiten_rewards}, lr ${o.lr} constant, AdamW β=(${o.beta1}, ${o.beta2}) wd ${o.weight_decay}, clip ${o.grad_clip} ` +
    '(TRL classic defaults, batch sizes, response length, LR and KL horizon scaled for tiny models)';
}

/** Prompts of iteration `it`: consecutive slices of a seeded shuffle of all prompts, reshuffled every pass. */
function iterationPrompts(all: Prompt[], it: number, B: number, seed: number): Prompt[] {
  const out: Prompt[] = [];
  for (let k = it * B; k < (it + 1) * B; k++) {
    const pass = Math.floor(k / all.length);
    const order = [...all.keys()];
    const rng = new Rng(seedFrom(`${seed}:prompts:${pass}`));
    for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    out.push(all[order[k % all.length]!]!);
  }
  return out;
}

export async function runPpo(stage: StageContext, o: PpoOptions): Promise<void> {
  const events = trainingEvents(stage, o);
  const ctx = events.context;
  const modelDir = ctx.inputs.model?.[0]?.path;
  if (!modelDir) throw errors.stageInputAbsent({ type: 'ppo', kind: 'model' });
  if (o.batch_size % (o.mini_batch_size * o.grad_accum) !== 0) throw errors.ppoBatchShape({ batchSize: o.batch_size, miniBatchSize: o.mini_batch_size, gradAccum: o.grad_accum });
  const tensors = await ctx.tensors();
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:ppo`);
  const scorer = await scorerFor(ctx, o, modelDir);
  const gold = o.eval_reward ? pluginScorer(ctx, o.eval_reward, (o.eval_reward_options ?? {}) as Record<string, unknown>) : null;
  const { model: policy, tokenizer, config } = await loadModel(modelDir);
  const reference = new GPT(config, await policy.weights());
  const head = new ValueHead(config.n_embd);
  try {
    const room = config.block_size - o.max_new_tokens;
    if (room < 1) throw errors.ppoNoRoom({ maxNewTokens: o.max_new_tokens, blockSize: config.block_size });
    const enc = await promptEncoder(modelDir, tokenizer, o.chat, room);
    const texts = await promptTexts(o, ctx.cwd);
    const prompts = texts.map(enc.encode);
    const evalPrompts = (await evalPromptTexts(o, ctx.cwd, texts)).map(enc.encode);
    const rc: RolloutConfig = {
      sample: { maxTokens: o.max_new_tokens, minNewTokens: o.min_new_tokens, temperature: o.temperature, topK: o.top_k, topP: o.top_p, stop: enc.stop },
      gamma: o.gamma, lam: o.lam, klEstimator: o.kl_estimator, whitenRewards: o.whiten_rewards,
      missingEosPenalty: o.missing_eos_penalty ?? null, chunk: Math.max(o.mini_batch_size, 8),
    };
    const models: RolloutModels = { policy, head, reference, tokenizer, scorer };
    const stepsPerIteration = (o.ppo_epochs * o.batch_size) / (o.mini_batch_size * o.grad_accum);
    const steps = o.iterations * stepsPerIteration;
    const kl = o.adaptive_kl ? new AdaptiveKlController(o.kl_coef, o.kl_target, o.kl_horizon) : new FixedKlController(o.kl_coef);
    let lastScore = NaN;
    const source = new RolloutSource(
      { batchSize: o.batch_size, miniBatchSize: o.mini_batch_size, epochs: o.ppo_epochs, stepsPerIteration, seed, suppress: { ids: enc.stop, minNew: o.min_new_tokens } },
      kl,
      (it, beta) => rollout(models, iterationPrompts(prompts, it, o.batch_size, seed), it, beta, seedFrom(`${seed}:rollout:${it}`), rc),
      (it, step, values, buf) => {
        for (const [k, v] of Object.entries(values)) ctx.metric(k, v, step);
        lastScore = values.score_mean!;
        ctx.log.info(`iteration ${it + 1}/${o.iterations}: score ${values.score_mean!.toFixed(3)}, KL ${values.kl!.toFixed(3)} (β ${values.kl_coef!.toFixed(4)}), ` +
          `entropy ${values.policy_entropy!.toFixed(3)}, clipfrac ${values.clipfrac!.toFixed(3)}, approx-KL ${values.approx_kl!.toFixed(4)}, value loss ${values.value_loss!.toFixed(4)}; ` +
          `e.g. ${JSON.stringify(buf.examples[0]?.completion ?? '')}`);
      },
    );
    ctx.log.info(describe(o, scorer, steps, prompts.length));
    ctx.log.info(`${backendLine(tensors)}, ${(policy.numParams() / 1e6).toFixed(3)}M parameters + value head; reference frozen`);
    const trainer = new Trainer(policy, { source, objective: ppoObjective(head, source, { temperature: o.temperature, clip: o.cliprange, valueClip: o.cliprange_value, vfCoef: o.vf_coef, entropyCoef: o.entropy_coef }), trainable: new Map([...policy.trainable(), ...head.variables()]) }, {
      batchSize: o.mini_batch_size, gradAccum: o.grad_accum, gradClip: o.grad_clip, seed,
      schedule: { lr: o.lr, minLr: o.lr, warmupSteps: 0, decaySteps: steps },
      adamw: { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay },
    });
    try {
      const evaluate = async () => rollout(models, evalPrompts.flatMap((p) => Array<Prompt>(o.eval_samples).fill(p)), -1, 0, seedFrom(`${seed}:eval`), rc);
      const before = await evaluate();
      const res = await trainSession(ctx, trainer, {
        loop: { steps, evalInterval: 0, sampleInterval: 0, checkpointInterval: o.checkpoint_interval, checkpointMinutes: o.checkpoint_minutes, patience: 0 },
        save: { keepLast: o.keep_last, eosId: tokenizer.eotId },
        validate: () => -lastScore, // the loop's "val_loss": minus the last rollout's mean score (lower is better)
        prepare: () => source.prepare(),
        events,
      });
      const after = await evaluate();
      if (gold) await goldScores(gold, before, after);
      await writeReport(ctx, o, before, after, { tokens_per_s: res.tokensPerS, steps: trainer.step, iterations: o.iterations });
      await saveModelFolder(ctx.outputs.model!.dir, config, await policy.weights(), {
        eosId: tokenizer.eotId, tokenizerPath: join(modelDir, 'tokenizer.json'), companions: COMPANION_FILES.map((f) => join(modelDir, f)),
      });
      await events.exportTo(ctx.outputs.model!.dir);
    } finally {
      trainer.dispose();
    }
  } finally {
    events.close();
    scorer.dispose();
    gold?.dispose();
    head.dispose();
    reference.dispose();
    policy.dispose();
  }
}

/** Scores the before/after samples with the eval reward too (examples[i].gold). */
async function goldScores(gold: Scorer, ...bufs: RolloutBuffer[]): Promise<void> {
  for (const b of bufs) {
    const g = await gold.score(b.examples.map((e) => ({ prompt: e.prompt, completion: e.completion })));
    b.examples.forEach((e, i) => { e.gold = g[i]!; });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** metrics.json (the reward/KL table), samples.jsonl (eval prompts before/after), report.md. */
async function writeReport(ctx: StageContext, o: PpoOptions, before: RolloutBuffer, after: RolloutBuffer, extra: Record<string, number>): Promise<void> {
  const dir = ctx.outputs.report!.dir;
  const metrics: Record<string, number> = {
    score_before: before.stats.score_mean!, score_after: after.stats.score_mean!, score_std_before: before.stats.score_std!,
    score_gain_in_std: (after.stats.score_mean! - before.stats.score_mean!) / (before.stats.score_std! || 1),
    kl_after: after.stats.kl!, kl_target: o.kl_target, response_length_after: after.stats.response_length!, eval_samples: after.examples.length, ...extra,
  };
  const goldOf = (b: RolloutBuffer) => b.examples.map((e) => e.gold).filter((g): g is number => g !== undefined);
  const [g0, g1] = [goldOf(before), goldOf(after)];
  if (g0.length) {
    Object.assign(metrics, { gold_before: mean(g0), gold_after: mean(g1), gold_std_before: std(g0), gold_gain_in_std: (mean(g1) - mean(g0)) / (std(g0) || 1) });
  }
  for (const [k, v] of Object.entries(metrics)) ctx.metric(k, v);
  ctx.stats({ ...metrics, tokens_per_s: Math.round(extra.tokens_per_s!) });
  const kl = `KL to reference ${metrics.kl_after!.toFixed(3)}${o.adaptive_kl ? ` (target ${o.kl_target})` : ''}`;
  ctx.log.info(`eval prompts (${after.examples.length} samples): score ${metrics.score_before!.toFixed(3)} → ${metrics.score_after!.toFixed(3)} (${metrics.score_gain_in_std!.toFixed(2)} std), ${kl}`);
  if (g0.length) ctx.log.info(`eval reward "${o.eval_reward}": ${metrics.gold_before!.toFixed(3)} → ${metrics.gold_after!.toFixed(3)}, ${signed(metrics.gold_gain_in_std!)} std of the starting policy's (${metrics.gold_std_before!.toFixed(3)})`);
  // A few held-out samples before → after (one per prompt), with the eval reward when there is one.
  const sc = (e: RolloutBuffer['examples'][number] | undefined) => (e?.gold ?? e?.score ?? 0).toFixed(2);
  for (let i = 0; i < Math.min(3 * o.eval_samples, before.examples.length); i += o.eval_samples) {
    const b = before.examples[i]!, a = after.examples[i];
    ctx.log.info(`sample ${JSON.stringify(b.prompt)}: before ${JSON.stringify(b.completion)} (${sc(b)}) → after ${JSON.stringify(a?.completion)} (${sc(a)})`);
  }
  const lines = before.examples.map((e, i) => JSON.stringify({
    prompt: e.prompt, before: e.completion, before_score: e.score, ...(e.gold !== undefined ? { before_gold: e.gold } : {}),
    after: after.examples[i]?.completion, after_score: after.examples[i]?.score, ...(after.examples[i]?.gold !== undefined ? { after_gold: after.examples[i]!.gold } : {}),
  }));
  await writeFileAtomic(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  await writeFileAtomic(join(dir, 'samples.jsonl'), lines.join('\n') + (lines.length ? '\n' : ''));
  const table = ['| | before | after |', '|---|---|---|', `| mean score | ${metrics.score_before!.toFixed(3)} | ${metrics.score_after!.toFixed(3)} |`];
  if (g0.length) table.push(`| ${o.eval_reward} (eval reward) | ${metrics.gold_before!.toFixed(3)} ± ${metrics.gold_std_before!.toFixed(3)} | ${metrics.gold_after!.toFixed(3)} ± ${std(g1).toFixed(3)} |`);
  table.push(`| KL to reference | 0 | ${metrics.kl_after!.toFixed(3)} |`);
  await writeFileAtomic(join(dir, 'report.md'), `# PPO\n\n${table.join('\n')}\n\n` + before.examples.map((e, i) => `- ${JSON.stringify(e.prompt)}: ${JSON.stringify(e.completion)} → ${JSON.stringify(after.examples[i]?.completion)}`).join('\n') + '\n');
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
