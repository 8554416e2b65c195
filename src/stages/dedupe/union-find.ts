/**
 * @fileoverview Union-find over document indexes where the root is always the smallest index:
 * the deterministic survivor of a cluster is its first-seen document.
 */
export class UnionFind {
  private parent: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n).map((_, i) => i);
  }

  find(x: number): number {
    let r = x;
    while (this.parent[r]! !== r) r = this.parent[r]!;
    while (this.parent[x]! !== r) { const next = this.parent[x]!; this.parent[x] = r; x = next; }
    return r;
  }

  /** Joins two sets; the smaller root wins. Returns true if they were separate. */
  union(a: number, b: number): boolean {
    const ra = this.find(a), rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra; else this.parent[ra] = rb;
    return true;
  }
}
