/**
 * @fileoverview Packs tokenized samples into fixed windows of T positions.
 *
 * A sample of L tokens fills L - 1 positions: x = ids[0 … L-2], and position k learns
 * ids[k+1] when that token is supervised. Its last token is only ever a target, so it can
 * never predict the next sample's first token, and a sample of T + 1 tokens fits a window
 * exactly (as a pretraining window uses T + 1 tokens). Longer samples keep their start.
 *
 *   window  x:        a0 a1 a2 b0 b1 ·  ·          (· = pad)
 *           y:        -1 a2 a3 -1 b2 -1 -1         (a1 → a2 is a prompt token: not trained on)
 *           segment:  0  0  0  1  1  -1 -1
 *           position: 0  1  2  0  1  0  0
 *
 * `segment` and `position` let the model build a block-diagonal causal mask and restart
 * positions per sample, so packed samples never attend to each other. With packing on,
 * samples go into windows best-fit decreasing (TRL's `bfd`): longest first, each into the
 * window with the least room that still holds it. Ties break by input order, so the result
 * is deterministic.
 */
import type { Sample } from './encode.js';

/** One training window. */
export interface Window {
  /** [T] input ids (pad id for padding). */
  x: Int32Array;
  /** [T] target id for position i (next token of the same sample), or -1 = not trained on. */
  y: Int32Array;
  /** [T] sample index within the window (0, 1, 2, …), -1 for padding. */
  segment: Int32Array;
  /** [T] position within its own sample (restarts at 0 at each sample start; 0 for padding). */
  position: Int32Array;
  /** Index in the input `samples` of each segment. */
  samples: number[];
}

/** What packing did. */
export interface PackStats {
  /** Samples placed in windows. */
  samples: number;
  /** Samples cut to T + 1 tokens. */
  truncated: number;
  /** Samples of fewer than 2 tokens, which have nothing to predict (left out). */
  dropped: number;
  windows: number;
  /** Positions holding sample tokens. */
  tokens: number;
  /** Positions with a target (y ≥ 0). */
  supervised: number;
  /** Padding positions. */
  padding: number;
}

/**
 * Packs samples into windows of T positions. packing true: best-fit decreasing, several
 * samples per window; false: one sample per window, padded. Deterministic.
 */
export function packSamples(samples: Sample[], T: number, o: { packing: boolean; padId: number }): { windows: Window[]; stats: PackStats } {
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`window length must be a positive integer, got ${T}`);
  const stats: PackStats = { samples: 0, truncated: 0, dropped: 0, windows: 0, tokens: 0, supervised: 0, padding: 0 };
  const lengths: Array<[index: number, positions: number]> = [];
  samples.forEach((s, i) => {
    if (s.ids.length < 2) { stats.dropped++; return; }
    if (s.ids.length > T + 1) stats.truncated++;
    lengths.push([i, Math.min(s.ids.length, T + 1) - 1]);
  });
  const bins = o.packing ? bestFitDecreasing(lengths, T) : lengths.map(([i]) => [i]);
  const windows = bins.map((members) => fillWindow(samples, members, T, o.padId, stats));
  stats.samples = lengths.length;
  stats.windows = windows.length;
  stats.padding = windows.length * T - stats.tokens;
  return { windows, stats };
}

/**
 * Bins of sample indices: items sorted by length (longest first, then input order), each put
 * into the open bin with the least free room that fits it, else into a new bin. Bins are
 * kept in lists by free room, so a placement costs at most T steps.
 */
function bestFitDecreasing(items: Array<[number, number]>, T: number): number[][] {
  const order = [...items].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const bins: number[][] = [];
  const byRoom: number[][] = Array.from({ length: T + 1 }, () => []);
  for (const [index, n] of order) {
    let room = n;
    while (room <= T && byRoom[room]!.length === 0) room++;
    let bin: number;
    if (room <= T) {
      bin = byRoom[room]!.shift()!; // the oldest bin with that room
    } else {
      bin = bins.length;
      bins.push([]);
      room = T;
    }
    bins[bin]!.push(index);
    insertSorted(byRoom[room - n]!, bin);
  }
  return bins;
}

function insertSorted(list: number[], v: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > v) i--;
  list.splice(i, 0, v);
}

function fillWindow(samples: Sample[], members: number[], T: number, padId: number, stats: PackStats): Window {
  const w: Window = {
    x: new Int32Array(T).fill(padId), y: new Int32Array(T).fill(-1),
    segment: new Int32Array(T).fill(-1), position: new Int32Array(T), samples: members,
  };
  let at = 0;
  members.forEach((index, seg) => {
    const s = samples[index]!;
    const n = Math.min(s.ids.length, T + 1) - 1;
    for (let k = 0; k < n; k++, at++) {
      w.x[at] = s.ids[k]!;
      if (s.supervised[k + 1]) { w.y[at] = s.ids[k + 1]!; stats.supervised++; }
      w.segment[at] = seg;
      w.position[at] = k;
    }
    stats.tokens += n;
  });
  return w;
}
