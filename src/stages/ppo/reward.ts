/**
 * @fileoverview Where PPO's scores come from: a plugin reward function (`with.reward`,
 * `defineReward`, options through its schema) or a reward-stage artifact (the `reward` input,
 * scored with ./reward-model.ts and normalised by its reward_stats mean and std). Either way a
 * Scorer turns completed rows into one number each.
 */
import { readTokenizerConfig } from '../../artifacts/conversations.js';
import { applyDefaults } from '../../config/ajv.js';
import { errors } from '../../errors/index.js';
import { encodeConversation } from '../../sft/encode.js';
import { resolveTemplate, type ChatTemplate } from '../../sft/template.js';
import type { StageContext } from '../define.js';

/** One scored row: the prompt and completion text, and prompt ⊕ completion ids of the policy's tokenizer. */
export interface ScoredRow { prompt: string; completion: string }

export interface Scorer {
  /** Printed at start: `plugin reward "a-count"`, `reward model <from> (mean …, std …)`. */
  readonly describe: string;
  score(rows: ScoredRow[]): Promise<Float32Array>;
  dispose(): void;
}

/** The plugin reward `name`, its options validated and defaulted against its schema. */
export function pluginScorer(ctx: StageContext, name: string, options: Record<string, unknown>): Scorer {
  const entry = ctx.registry.get('reward', name);
  const def = entry.value;
  let opts = options;
  if (def.schema) {
    const r = applyDefaults(def.schema, options);
    if (r.errors) throw errors.rewardOptionsInvalid({ reward: name, problem: JSON.stringify(r.errors) });
    opts = r.value as Record<string, unknown>;
  }
  return {
    describe: `plugin reward "${name}"${entry.plugin ? ` (${entry.plugin.name}@${entry.plugin.version})` : ''}`,
    async score(rows) {
      const out = new Float32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const s = Number(await def.score(rows[i]!, opts));
        if (!Number.isFinite(s)) throw errors.rewardNotFinite({ reward: name, value: String(s), prompt: rows[i]!.prompt });
        out[i] = s;
      }
      return out;
    },
    dispose() {},
  };
}

/**
 * A reward-stage artifact folder, normalised with its reward_stats (see ./reward-model.ts).
 * Rows are encoded as the reward stage encoded its pairs: with `chat`, prompt and completion as
 * a user and an assistant turn of the chat template (the reward folder's tokenizer_config.json,
 * else `fallback`, the policy's), end of turn included; else the prompt's ids then the
 * completion's. A sequence longer than the model's window keeps its end (the read-out token).
 */
export async function modelScorer(dir: string, from: string, chat: boolean, fallback: ChatTemplate | null): Promise<Scorer> {
  const { loadRewardModel } = await import('./reward-model.js');
  const rm = await loadRewardModel(dir);
  const std = rm.stats.std > 0 ? rm.stats.std : 1;
  const own = await readTokenizerConfig(dir);
  const template = chat ? (own?.chat_template ? resolveTemplate('tokenizer_config', own) : fallback) : null;
  const window = rm.blockSize;
  const encode = (r: ScoredRow): number[] => {
    const ids = template
      ? encodeConversation(rm.tokenizer, template, { messages: [{ role: 'user', content: r.prompt }, { role: 'assistant', content: r.completion }], where: 'ppo rollout' }, { trainOn: 'all' }).ids
      : [...rm.tokenizer.encode(r.prompt), ...rm.tokenizer.encode(r.completion)];
    return Array.from(ids).slice(-window);
  };
  return {
    describe: `reward model ${from} (normalised: mean ${rm.stats.mean.toFixed(3)}, std ${std.toFixed(3)}${template ? `; rows as ${template.name} chat turns` : ''})`,
    async score(rows) {
      const raw = rm.score(rows.map(encode));
      return raw.map((x) => (x - rm.stats.mean) / std);
    },
    dispose: () => rm.dispose(),
  };
}
