/**
 * @fileoverview GPT-2's pre-tokenizer: the split pattern of `openai/gpt-2` encoder.py, HF
 * `ByteLevel(use_regex=true)` and tiktoken `gpt2`/`r50k_base`. This is the original
 * non-possessive form, which JavaScript's RegExp accepts; tiktoken documents its possessive
 * r50k variant as equivalent. Every alternative is a greedy character-class loop or a fixed
 * contraction, so matching stays linear even on megabytes of whitespace or one huge word.
 */

/** The GPT-2 split pattern, verbatim. */
export const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** Compiles a split pattern with the flags every caller needs (global + unicode). */
export function compilePattern(pattern: string = GPT2_PATTERN): RegExp {
  return new RegExp(pattern, 'gu');
}

/**
 * Calls `fn` with each pre-token of `text`, in order. `re` must be a `gu` RegExp (its
 * lastIndex is reset). Characters the pattern does not match are skipped, as in tiktoken.
 */
function forEachPiece(text: string, re: RegExp, fn: (piece: string) => void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const piece = m[0];
    if (piece.length === 0) {
      re.lastIndex++; // an empty match (only possible with custom patterns) must not loop
      continue;
    }
    fn(piece);
  }
}

/** The pre-tokens of `text` as an array (tests and small inputs). */
export function pretokenize(text: string, re: RegExp = compilePattern()): string[] {
  const out: string[] = [];
  forEachPiece(text, re, (p) => out.push(p));
  return out;
}
