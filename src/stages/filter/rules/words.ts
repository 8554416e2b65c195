/**
 * @fileoverview Word tokenisation for the quality rules: runs of letters/digits (with inner
 * apostrophes and hyphens) and runs of other non-space characters as separate tokens, close to
 * the NLTK-style tokenizer datatrove's `split_into_words` uses for English.
 */
const WORD_RE = /[\p{L}\p{N}_]+(?:['’\-][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]+/gu;
const HAS_ALNUM = /[\p{L}\p{N}]/u;
const HAS_ALPHA = /\p{L}/u;

export function tokenizeWords(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

/** A word with at least one letter or digit (datatrove: not made only of punctuation). */
export function isNonSymbolWord(w: string): boolean {
  return HAS_ALNUM.test(w);
}

export function hasAlpha(w: string): boolean {
  return HAS_ALPHA.test(w);
}

/** `find_duplicates`: number of repeated elements and their total characters. */
export function findDuplicates(items: string[]): { count: number; chars: number } {
  const seen = new Set<string>();
  let count = 0, chars = 0;
  for (const x of items) {
    if (seen.has(x)) { count++; chars += x.length; } else seen.add(x);
  }
  return { count, chars };
}

/** Counts sentences with Intl.Segmenter (ICU sentence boundaries). */
let segmenter: Intl.Segmenter | undefined;
export function countSentences(text: string): number {
  // Built on first use: constructing it costs ~15 ms, which every registry (CLI, each stage worker) would pay.
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  let n = 0;
  for (const s of segmenter.segment(text)) if (s.segment.trim().length > 0) n++;
  return n;
}
