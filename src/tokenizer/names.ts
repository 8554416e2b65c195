/**
 * @fileoverview Names `loadTokenizer` accepts besides file paths (a leaf module, so stage
 * definitions can tell a name from a path without loading the tokenizer).
 */

/** tiktoken encodings shipped in js-tiktoken. */
export const PRETRAINED_NAMES = ['gpt2', 'r50k_base'] as const;
