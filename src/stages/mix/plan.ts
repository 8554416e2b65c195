/**
 * @fileoverview Mixture planning (pure): from source sizes and weights, how many full copies
 * of each source and what part of one more copy to take.
 *
 *   share_i = w_i / Σw;  total = min_i size_i / share_i   (no repeats), or
 *                        total = max_i size_i / share_i   (upsample: nothing dropped), or `total`
 *   target_i = share_i · total;  copies_i = ⌊target_i / size_i⌋;  rest_i = target_i − copies_i·size_i
 */
export interface SourcePlan { size: number; share: number; target: number; copies: number; rest: number }

export function planMixture(sizes: number[], weights: number[], opts: { total?: number; upsample: boolean }): SourcePlan[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / sum);
  const ratios = sizes.map((s, i) => (shares[i]! > 0 ? s / shares[i]! : Infinity)).filter(Number.isFinite);
  let total = opts.total && opts.total > 0 ? opts.total : opts.upsample ? Math.max(...ratios) : Math.min(...ratios);
  if (!Number.isFinite(total)) total = 0;
  return sizes.map((size, i) => {
    let target = shares[i]! * total;
    if (!opts.upsample) target = Math.min(target, size);
    const copies = size > 0 ? Math.floor(target / size + 1e-9) : 0;
    return { size, share: shares[i]!, target, copies, rest: size > 0 ? Math.max(0, target - copies * size) : 0 };
  });
}
