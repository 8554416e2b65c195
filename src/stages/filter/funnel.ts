/**
 * @fileoverview The removal funnel: documents and bytes removed by each rule, in rule order,
 * rendered as one log line per rule and flattened into ctx.stats.
 */
export interface FunnelRow { label: string; docs: number; bytes: number }

export class Funnel {
  readonly rows: FunnelRow[];
  readonly reasons = new Map<string, number>();
  docsIn = 0;
  bytesIn = 0;

  constructor(labels: string[]) {
    this.rows = labels.map((label) => ({ label, docs: 0, bytes: 0 }));
  }

  add(index: number, bytes: number, reason: string): void {
    const row = this.rows[index]!;
    row.docs++;
    row.bytes += bytes;
    const key = `${row.label}:${reason}`;
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }

  /** `in 100 docs (1.2 MB) → gopher-quality −10 docs (−0.1 MB, 10.0%) → … → kept 80 docs`. */
  lines(): string[] {
    const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
    const pct = (n: number) => (this.docsIn ? ((100 * n) / this.docsIn).toFixed(1) : '0.0');
    let docs = this.docsIn, bytes = this.bytesIn;
    const out = [`filter funnel: in ${docs} docs (${mb(bytes)})`];
    for (const r of this.rows) {
      docs -= r.docs;
      bytes -= r.bytes;
      out.push(`  ${r.label.padEnd(20)} -${r.docs} docs (-${mb(r.bytes)}, ${pct(r.docs)}%) -> ${docs} docs left`);
    }
    out.push(`  kept ${docs} docs (${mb(bytes)}, ${pct(docs)}%)`);
    return out;
  }

  stats(): Record<string, number> {
    const s: Record<string, number> = { docs_in: this.docsIn, bytes_in: this.bytesIn };
    let docs = this.docsIn, bytes = this.bytesIn;
    for (const r of this.rows) {
      s[`dropped_${r.label}`] = r.docs;
      s[`dropped_bytes_${r.label}`] = r.bytes;
      docs -= r.docs;
      bytes -= r.bytes;
    }
    for (const [k, v] of this.reasons) s[`dropped_reason_${k}`] = v;
    return { ...s, docs_kept: docs, bytes_kept: bytes };
  }
}
