/**
 * @fileoverview Pure text helpers for the terminal UI: durations, rates, ETAs, progress bars
 * and sparklines. No React, no terminal: unit-tested directly.
 */

const SPARKS = '▁▂▃▄▅▆▇█';

/** `850 ms`, `12.3 s`, `4m 05s`, `1h 02m`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Compact count: 950, 12.3k, 4.1M. */
export function count(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A number for metric display: 4 significant digits, exponent for tiny values (learning rates). */
export function metric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-2) return v.toExponential(2);
  if (Math.abs(v) >= 1e4) return count(v);
  return Number(v.toPrecision(4)).toString();
}

/**
 * A progress bar of `width` cells with eighth-block resolution.
 * @param fraction 0..1 (clamped)
 */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  const partial = part > 0 ? ' ▏▎▍▌▋▊▉'[part]! : '';
  return ('█'.repeat(full) + partial).padEnd(width, '░');
}

/**
 * A sparkline of the last `width` values, scaled between their min and max.
 * Non-finite values are dropped. Empty input gives ''.
 */
export function sparkline(values: readonly number[], width: number): string {
  const v = values.filter(Number.isFinite).slice(-width);
  if (v.length === 0) return '';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const span = hi - lo;
  return v.map((x) => SPARKS[span === 0 ? 3 : Math.round(((x - lo) / span) * (SPARKS.length - 1))]!).join('');
}

/**
 * Shrinks a series to at most `n` points by averaging equal buckets, so a long training
 * curve still fits the chart while keeping its shape.
 */
export function downsample(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor((i * values.length) / n);
    const b = Math.max(a + 1, Math.floor(((i + 1) * values.length) / n));
    let s = 0;
    for (let j = a; j < b; j++) s += values[j]!;
    out.push(s / (b - a));
  }
  return out;
}

/** `12.3k docs/s`; '' when unknown. */
export function rate(perSecond: number | undefined, unit = ''): string {
  if (perSecond === undefined || !Number.isFinite(perSecond) || perSecond <= 0) return '';
  return `${perSecond < 10 ? perSecond.toFixed(2) : count(Math.round(perSecond))} ${unit ? `${unit}/s` : '/s'}`;
}

/** Truncates to `n` visible characters with an ellipsis. */
export function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= n ? one : `${one.slice(0, Math.max(0, n - 1))}…`;
}
