/**
 * @fileoverview Pre-token ("word") counting for the BPE trainer. Memory grows with the number
 * of distinct words, not with the corpus. Special-token text inside documents is cut out
 * first, so `<|endoftext|>` in a corpus never turns into merges.
 */
import { compilePattern, GPT2_PATTERN } from './pretokenize.js';

export class WordCounter {
  readonly counts = new Map<string, number>();
  private readonly re: RegExp;
  private readonly specials: string[];

  constructor(specials: readonly string[] = [], pattern: string = GPT2_PATTERN) {
    this.re = compilePattern(pattern);
    this.specials = specials.filter((s) => s.length > 0);
  }

  /** Counts the words of one document. */
  add(text: string): void {
    for (const s of this.specials) {
      if (text.includes(s)) { for (const part of text.split(s)) this.add(part); return; }
    }
    const re = this.re;
    const counts = this.counts;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const w = m[0];
      if (w.length === 0) { re.lastIndex++; continue; }
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }

  /** Adds counts from another counter's entries (e.g. from a worker). */
  merge(words: readonly string[], counts: ArrayLike<number>): void {
    for (let i = 0; i < words.length; i++) this.counts.set(words[i]!, (this.counts.get(words[i]!) ?? 0) + counts[i]!);
  }
}
