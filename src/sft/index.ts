/**
 * @fileoverview Public API of the sft data side: read conversations, render them through a
 * chat template, tokenize with a label mask, pack into windows, and report the mask.
 *
 *   const t = resolveTemplate('chatml');
 *   const { tokenizer } = addSpecialTokens(base, t.specialTokens);
 *   const samples = (await readConversations('chat.jsonl')).map((c) => encodeConversation(tokenizer, t, c, { trainOn: 'assistant' }));
 *   const report = maskReport(samples, tokenizer, { examples: 3 }); checkMaskShare(report);
 *   const { windows } = packSamples(samples, 256, { packing: true, padId: tokenizer.eotId ?? 0 });
 */
export { instructionToMessages, parseConversations, readConversations, ROLES, type Conversation, type InstructionRecord, type Message } from './conversations.js';
export { BUILTIN_TEMPLATES, renderChat, renderSpans, resolveTemplate, type ChatTemplate, type Span, type TemplateOverrides } from './template.js';
export { WHOLE_CONVERSATION } from './spans.js';
export { encodeConversation, encodePrompt, missingSpecialTokens, type Sample } from './encode.js';
export { packSamples, type PackStats, type Window } from './pack.js';
export { checkMaskShare, markedText, maskMarkdown, maskReport, MASK_MARKERS, writeMaskReport, type MaskReport, type RoleShare } from './mask-report.js';
