/**
 * @fileoverview Contamination check (the GPT-3 / lm-eval decontamination idea): the share of
 * the evaluation texts' word n-grams (13-grams by default) that also occur in the training
 * documents, and the share of evaluation items with at least one such n-gram.
 *
 * Words are lower-cased runs of letters, digits and apostrophes. N-grams are 53-bit rolling
 * hashes of word hashes (two 32-bit polynomial hashes), so the training side streams with
 * constant memory; only the (small) evaluation side is held in a map.
 */

const B1 = 0x01000193;
const B2 = 0x5bd1e995;

/** FNV-1a of a word. */
function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function words(text: string): number[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []).map(wordHash);
}

function pow(b: number, e: number): number {
  let r = 1;
  for (let i = 0; i < e; i++) r = Math.imul(r, b);
  return r >>> 0;
}

/** Calls `emit` with the hash of every word n-gram of `text`. */
export function forEachNgram(text: string, n: number, emit: (h: number) => void): void {
  const w = words(text);
  if (w.length < n) return;
  const p1 = pow(B1, n - 1);
  const p2 = pow(B2, n - 1);
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < w.length; i++) {
    if (i >= n) {
      h1 = (h1 - Math.imul(w[i - n]!, p1)) >>> 0;
      h2 = (h2 - Math.imul(w[i - n]!, p2)) >>> 0;
    }
    h1 = (Math.imul(h1, B1) + w[i]!) >>> 0;
    h2 = (Math.imul(h2, B2) + w[i]!) >>> 0;
    if (i >= n - 1) emit(h1 * 0x200000 + (h2 & 0x1fffff));
  }
}

/** The n-gram size to use: `n`, or smaller when the evaluation items are short (median words / 2, at least `minN`). */
export function chooseN(texts: string[], n: number, minN = 4): number {
  const counts = texts.map((t) => words(t).length).sort((a, b) => a - b);
  const median = counts[Math.floor(counts.length / 2)] ?? 0;
  return Math.max(minN, Math.min(n, Math.floor(median / 2)));
}

export interface ContaminationResult {
  n: number;
  /** Distinct evaluation n-grams. */
  ngrams: number;
  /** Of those, found in the training texts. */
  found: number;
  /** found / ngrams */
  rate: number;
  /** Share of evaluation items with at least one n-gram found. */
  itemRate: number;
  /** Indices of the contaminated items. */
  contaminated: number[];
}

/** Checks evaluation `items` against streamed training texts. */
export async function contamination(items: string[], train: AsyncIterable<string> | Iterable<string>, n: number): Promise<ContaminationResult> {
  const owners = new Map<number, number[]>();
  items.forEach((text, i) => forEachNgram(text, n, (h) => {
    const list = owners.get(h);
    if (!list) owners.set(h, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  }));
  const found = new Set<number>();
  for await (const text of train) forEachNgram(text, n, (h) => { if (owners.has(h)) found.add(h); });
  const dirty = new Set<number>();
  for (const h of found) for (const i of owners.get(h)!) dirty.add(i);
  return {
    n, ngrams: owners.size, found: found.size, rate: owners.size ? found.size / owners.size : 0,
    itemRate: items.length ? dirty.size / items.length : 0, contaminated: [...dirty].sort((a, b) => a - b),
  };
}
