/**
 * @fileoverview Messages for supervised fine-tuning data (src/sft): conversation JSONL lines,
 * chat templates (names, Jinja, prefix stability, special tokens) and the label mask; and the
 * sft stage (src/stages/sft): where its conversations come from, its model, LoRA's options.
 */
import { didYouMean } from '../did-you-mean.js';
import { listOf, make, type Where } from './make.js';

const LINE_HINT = 'Each line is {"messages": [{"role", "content"}, …]} (chat) or {"instruction", "input", "output"} (instruction; "input" and "system" optional).';
const TEMPLATE_HINT = 'Set template to chatml, llama2, tokenizer_config or a Jinja template string.';

export const sftErrors = {
  /** `where` is `file:line`. */
  conversationLineInvalid: (a: { where: string; problem: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.where}: ${a.problem}`, LINE_HINT, at),

  conversationsUnreadable: (a: { file: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot read conversation file ${a.file}`, 'Check the path; it is relative to the pipeline file.', at),

  conversationsEmpty: (a: { file: string }, at?: Where) =>
    make('E_ARTIFACT', `${a.file} holds no conversations`, LINE_HINT, at),

  chatTemplateUnknown: (a: { name: string; known: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `unknown chat template "${a.name}".${didYouMean(a.name, a.known)}`,
      `Templates: ${listOf(a.known)}, or a Jinja template string.`, at),

  chatTemplateMissing: (a: { reason: string }, at?: Where) =>
    make('E_ARTIFACT', `chat_template "tokenizer_config": ${a.reason}`, TEMPLATE_HINT, at),

  /** The Jinja source does not parse, or rendering threw (e.g. `raise_exception`). */
  chatTemplateFailed: (a: { template: string; problem: string; where?: string }, at?: Where) =>
    make('E_SCHEMA', `${a.where ? `${a.where}: ` : ''}chat template ${a.template}: ${a.problem}`, TEMPLATE_HINT, at),

  /** Rendering the first i messages is not a prefix of rendering i + 1, so turns cannot be told apart. */
  chatTemplateNotPrefixStable: (a: { template: string; messages: number; where?: string }, at?: Where) =>
    make('E_SCHEMA',
      `${a.where ? `${a.where}: ` : ''}chat template ${a.template} is not prefix-stable: rendering the first ${a.messages} message(s) is not a prefix of the longer conversation, so the assistant turns cannot be located`,
      'Use a template that renders each message independently of the later ones (chatml, llama2), or train_on: all.', at),

  /** The tokenizer lacks special tokens the template renders; they would be split into pieces. */
  chatTemplateTokensMissing: (a: { template: string; missing: readonly string[] }, at?: Where) =>
    make('E_ARTIFACT', `the tokenizer lacks the special tokens of chat template ${a.template}: ${listOf(a.missing)}`,
      'Add them with addSpecialTokens (the sft stage does this for its default template), or pick a template whose tokens the tokenizer has.', at),

  maskShareZero: (a: { samples: number }, at?: Where) =>
    make('E_ARTIFACT', `label mask: none of the tokens of ${a.samples} sample(s) is supervised, so there is nothing to train on`,
      'Check that the conversations have assistant turns with content, or set train_on: all.', at),

  maskShareFull: (a: { samples: number }, at?: Where) =>
    make('E_ARTIFACT', `label mask: every token of ${a.samples} sample(s) is supervised although train_on is assistant, so prompts would be trained on as well`,
      'The template\'s assistant spans cover whole conversations: check the data\'s roles and the chat template (label-mask.md shows the spans), or set train_on: all to train on everything on purpose.', at),

  sftNoData: (at?: Where) =>
    make('E_SCHEMA', 'sft has no training conversations',
      'Connect a `data` input (an sft artifact) or set with.data to JSONL files (chat {"messages": […]} or instruction {"instruction", "output"}); at least two conversations are needed when validation is held out.', at),

  /** The tokenizer input is not the model's tokenizer. */
  sftTokenizerMismatch: (a: { model: string; data: string; modelPath: string }, at?: Where) =>
    make('E_ARTIFACT', `the model's tokenizer (sha256 ${a.model.slice(0, 12)}…, ${a.modelPath}) differs from the tokenizer input (sha256 ${a.data.slice(0, 12)}…)`,
      'Fine-tune with the tokenizer the model was trained with: connect the tokenizer input to the stage that made the base model\'s tokenizer, or leave it out.', at),

  sftBlockSize: (a: { blockSize: number; model: number }, at?: Where) =>
    make('E_SCHEMA', `sft: block_size ${a.blockSize} exceeds the model's context (${a.model})`, `Use at most ${a.model}, or 0 for the model's.`, at),

  loraUnknownTarget: (a: { target: string; known: readonly string[] }, at?: Where) =>
    make('E_SCHEMA', `lora.target_modules: "${a.target}" matches no module of the model.${didYouMean(a.target, a.known)}`,
      `Modules: ${a.known.join(', ')} (a suffix such as attn.c_proj picks one of the two c_proj).`, at),
};
