/**
 * @fileoverview Chat templates: which one to use (a built-in name, a Jinja string, or the
 * `chat_template` of a tokenizer_config.json), with the special tokens and end-of-turn marker
 * it needs. Rendering lives in render.ts and the cut of a rendering into supervised and
 * unsupervised spans in spans.ts; this file re-exports both, so it is the one to import.
 */
import { errors } from '../errors/index.js';
import { BUILTIN_TEMPLATES } from './builtin-templates.js';
import { compiled, type ChatTemplate } from './render.js';

export { BUILTIN_TEMPLATES } from './builtin-templates.js';
export { renderChat, type ChatTemplate } from './render.js';
export { renderSpans, type Span } from './spans.js';

/** Overrides for a custom or tokenizer_config template (the defaults are guessed from its text). */
export interface TemplateOverrides {
  specialTokens?: string[];
  endOfTurn?: string;
  bosToken?: string;
  eosToken?: string;
}

/** End-of-turn markers of well-known templates, tried in order when guessing one. */
const KNOWN_END_OF_TURN = ['<|im_end|>', '<|eot_id|>', '<|end|>', '<end_of_turn>', '<|endoftext|>'];

/**
 * Resolves `spec`: 'chatml' | 'llama2' | 'tokenizer_config' (the config's chat_template with
 * its bos/eos tokens) | 'auto' (tokenizer_config when the config has a chat_template, else
 * chatml) | a Jinja string (anything containing `{{` or `{%`). Throws E_SCHEMA for an unknown
 * name or a template that does not parse, E_ARTIFACT when tokenizer_config has none.
 */
export function resolveTemplate(spec: string, tokenizerConfig?: Record<string, unknown> | null, o: TemplateOverrides = {}): ChatTemplate {
  if (spec === 'auto') spec = tokenizerConfig?.chat_template ? 'tokenizer_config' : 'chatml';
  let t: ChatTemplate;
  const builtin = BUILTIN_TEMPLATES[spec];
  if (builtin) t = { ...builtin, ...definedOf(o) };
  else if (spec === 'tokenizer_config') t = fromTokenizerConfig(tokenizerConfig, o);
  else if (spec.includes('{{') || spec.includes('{%')) t = guessed('custom', spec, [], o);
  else throw errors.chatTemplateUnknown({ name: spec, known: [...Object.keys(BUILTIN_TEMPLATES), 'tokenizer_config', 'auto'] });
  compiled(t);
  return t;
}

function fromTokenizerConfig(config: Record<string, unknown> | null | undefined, o: TemplateOverrides): ChatTemplate {
  if (!config) throw errors.chatTemplateMissing({ reason: 'there is no tokenizer_config.json' });
  const source = chatTemplateOf(config.chat_template);
  if (source === undefined) throw errors.chatTemplateMissing({ reason: 'tokenizer_config.json has no chat_template' });
  const added = Object.values((config.added_tokens_decoder ?? {}) as Record<string, unknown>)
    .map((a) => tokenText(a)).filter((s): s is string => s !== undefined);
  return guessed('tokenizer_config', source, added, {
    bosToken: tokenText(config.bos_token), eosToken: tokenText(config.eos_token), ...definedOf(o),
  });
}

/** A template whose special tokens are the `<|…|>` literals, the bos/eos and `known` tokens found in its text. */
function guessed(name: string, source: string, known: string[], o: TemplateOverrides): ChatTemplate {
  const found = new Set(source.match(/<\|[^|\s'"]+\|>/g) ?? []);
  for (const k of known) if (source.includes(k)) found.add(k);
  // bos/eos reach the text through variables, so they count whether or not they are spelled out.
  for (const k of [o.bosToken, o.eosToken]) if (k) found.add(k);
  const specialTokens = o.specialTokens ?? [...found];
  const endOfTurn = o.endOfTurn ?? KNOWN_END_OF_TURN.find((m) => source.includes(m)) ?? o.eosToken ?? '';
  return { name, source, specialTokens, endOfTurn, bosToken: o.bosToken, eosToken: o.eosToken };
}

/** HF allows one template string or a list of {name, template}; the "default" one is used. */
function chatTemplateOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const named = v as Array<{ name?: unknown; template?: unknown }>;
    const t = named.find((x) => x.name === 'default') ?? named[0];
    return typeof t?.template === 'string' ? t.template : undefined;
  }
  return undefined;
}

/** A token in tokenizer_config.json: a string or an AddedToken object {content}. */
function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

function definedOf(o: TemplateOverrides): TemplateOverrides {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
