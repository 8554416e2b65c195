/**
 * @fileoverview Step 1b of the compile chain: composed YAML document → plain data, in one
 * linear walk that also refuses what is YAML but not a pipeline. It replaces yaml's
 * `toJS()`, whose checks are the problem: `uniqueKeys` compares every key with every other
 * (33 s for 60,000 vars), alias resolution rescans the document per alias, and its failures
 * (alias bombs, unresolved aliases, bad merges) are bare Errors without a position.
 *
 * Refused, each with the node's range: duplicate keys (a Set per map), keys that are not
 * scalars (`? [a, b]`), `__proto__` keys, aliases to no earlier anchor or to the node that
 * holds them, anchors defined twice, merge keys (`<<`) given anything but maps, and aliases
 * that expand past MAX_ALIAS_EXPANSION values (billion laughs). Maps become objects
 * without a prototype, so no user key can reach Object.prototype.
 */
import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** Values that aliases may add to a document, all aliases together. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** What went wrong, and where (character offsets into the text). */
export type YamlProblem =
  | { kind: 'duplicateKey'; key: string; first: number; range: [number, number] }
  | { kind: 'complexKey'; range: [number, number] }
  | { kind: 'forbiddenKey'; key: string; range: [number, number] }
  | { kind: 'unknownAlias' | 'recursiveAlias'; name: string; range: [number, number] }
  | { kind: 'duplicateAnchor'; name: string; first: number; range: [number, number] }
  | { kind: 'badMerge'; range: [number, number] }
  | { kind: 'aliasBomb'; limit: number; range: [number, number] };

/** Converted value and how many values it stands for once aliases are expanded. */
interface Converted { value: unknown; size: number }

const rangeOf = (n: { range?: readonly number[] | null } | null | undefined): [number, number] =>
  [n?.range?.[0] ?? 0, n?.range?.[1] ?? n?.range?.[0] ?? 0];

class Converter {
  readonly problems: YamlProblem[] = [];
  /** Anchor name → the node that defined it, in document order. */
  private readonly anchors = new Map<string, Node>();
  /** Anchored nodes already converted (an alias shares the value, as yaml's toJS does). */
  private readonly done = new Map<Node, Converted>();
  /** Anchored nodes being converted: an alias to one of these would be infinite. */
  private readonly open = new Set<Node>();
  private expanded = 0;

  node(node: Node | null | undefined): Converted {
    if (!node) return { value: null, size: 1 };
    if (isAlias(node)) return this.alias(node);
    if (node.anchor) {
      this.anchor(node);
      this.open.add(node);
    }
    const out = isMap(node) ? this.map(node) : isSeq(node) ? this.seq(node.items as Node[]) : { value: isScalar(node) ? node.value : null, size: 1 };
    if (node.anchor) {
      this.open.delete(node);
      this.done.set(node, out);
    }
    return out;
  }

  private anchor(node: Node): void {
    const first = this.anchors.get(node.anchor!);
    if (first) this.problems.push({ kind: 'duplicateAnchor', name: node.anchor!, first: rangeOf(first)[0], range: rangeOf(node) });
    this.anchors.set(node.anchor!, node);
  }

  private alias(node: Alias): Converted {
    const target = this.anchors.get(node.source);
    if (!target) {
      this.problems.push({ kind: 'unknownAlias', name: node.source, range: rangeOf(node) });
      return { value: null, size: 1 };
    }
    if (this.open.has(target)) {
      this.problems.push({ kind: 'recursiveAlias', name: node.source, range: rangeOf(node) });
      return { value: null, size: 1 };
    }
    const hit = this.done.get(target)!;
    const before = this.expanded;
    this.expanded += hit.size;
    if (before <= MAX_ALIAS_EXPANSION && this.expanded > MAX_ALIAS_EXPANSION) {
      this.problems.push({ kind: 'aliasBomb', limit: MAX_ALIAS_EXPANSION, range: rangeOf(node) });
    }
    return hit;
  }

  private seq(items: Node[]): Converted {
    const value: unknown[] = [];
    let size = 1;
    for (const item of items) {
      const c = this.node(item);
      value.push(c.value);
      size += c.size;
    }
    return { value, size };
  }

  private map(node: YAMLMap): Converted {
    const value = Object.create(null) as Record<string, unknown>;
    const seen = new Map<string, number>();
    let size = 1;
    for (const pair of node.items as Array<Pair<Node | null, Node | null>>) {
      if (isMergeKey(pair.key)) {
        // YAML 1.1 merge, in place as yaml's toJS does: a key set earlier (explicit or by an
        // earlier source) stays; an explicit key later overrides.
        const m = this.merge(pair);
        for (const source of m.sources) {
          for (const [k, v] of Object.entries(source)) if (!Object.hasOwn(value, k)) value[k] = v;
        }
        size += m.size;
        continue;
      }
      const key = this.key(pair.key);
      const c = this.node(pair.value);
      size += c.size;
      if (key === undefined) continue;
      const first = seen.get(key);
      if (first !== undefined) this.problems.push({ kind: 'duplicateKey', key, first, range: rangeOf(pair.key) });
      else seen.set(key, rangeOf(pair.key)[0]);
      value[key] = c.value;
    }
    return { value, size };
  }

  /** The object key a pair's key becomes, as yaml's toJS makes it; undefined when refused. */
  private key(key: Node | null): string | undefined {
    if (key === null) return '';
    if (!isScalar(key)) {
      this.problems.push({ kind: 'complexKey', range: rangeOf(key) });
      return undefined;
    }
    const { value } = this.node(key);
    const name = value === null ? '' : String(value);
    // Data, not a path, but an own `__proto__` turns into a prototype the moment any later
    // code copies the object with `out[k] = v`.
    if (name === '__proto__') {
      this.problems.push({ kind: 'forbiddenKey', key: name, range: rangeOf(key) });
      return undefined;
    }
    return name;
  }

  /** A merge value: a map, an alias to one, or a list of those. */
  private merge(pair: Pair<Node | null, Node | null>): { sources: Record<string, unknown>[]; size: number } {
    const node = pair.value;
    const items = isSeq(node) ? (node.items as Array<Node | null>) : [node];
    const sources: Record<string, unknown>[] = [];
    let size = 0;
    for (const item of items) {
      const known = !isAlias(item) || this.anchors.has(item.source);
      if (known && !isMap(isAlias(item) ? this.anchors.get(item.source) : item)) {
        this.problems.push({ kind: 'badMerge', range: rangeOf(item ?? pair.key) });
        continue;
      }
      const c = this.node(item);
      size += c.size;
      if (c.value && typeof c.value === 'object') sources.push(c.value as Record<string, unknown>);
    }
    return { sources, size };
  }
}

/** `<<` as a plain scalar, once yaml's `merge: true` has resolved it to its merge symbol. */
function isMergeKey(key: Node | null): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** Converts a composed document (no `doc.errors`) to data, listing every problem found. */
export function yamlToData(doc: Document): { data: unknown; problems: YamlProblem[] } {
  const c = new Converter();
  const { value } = c.node(doc.contents as Node | null);
  return { data: value, problems: c.problems };
}
