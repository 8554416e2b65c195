/**
 * @fileoverview Splits text around special-token strings (longest match first at a position).
 */

/** Yields text runs and special ids in order. */
export function* splitSpecials(text: string, specials: ReadonlyMap<string, number>): Generator<string | number> {
  const names = [...specials.keys()].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (names.length === 0) { yield text; return; }
  const re = new RegExp(names.map(escapeRegex).join('|'), 'g');
  let start = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > start) yield text.slice(start, m.index);
    yield specials.get(m[0])!;
    start = m.index! + m[0].length;
  }
  if (start < text.length) yield text.slice(start);
}

/** Escapes a string for use inside a RegExp. */
function escapeRegex(s: string): string {
  return s.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}
