/**
 * @fileoverview Positions in a YAML document: maps a path (`['stages','train','with','lr']`)
 * to file:line:column, stepping up to the nearest parent that has a range when a node has
 * none (DVC's determine_linecol).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { codeFrame, type SourceLoc } from '../errors/index.js';

export type Path = ReadonlyArray<string | number>;

export class SourceMap {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Location of the value at `path`; `key: true` points at the key instead (for unknown keys). */
  locate(path: Path, opts: { key?: boolean } = {}): SourceLoc | undefined {
    for (let n = path.length; n >= 0; n--) {
      const range = this.rangeOf(path.slice(0, n), opts.key === true && n === path.length);
      if (range) {
        const pos = this.lines.linePos(range[0]);
        const endPos = this.lines.linePos(range[1]);
        const length = endPos.line === pos.line ? Math.max(1, range[1] - range[0]) : 1;
        return { line: pos.line, column: pos.col, length };
      }
    }
    return undefined;
  }

  /** A code frame at `path` (empty when no position is known). */
  frame(path: Path, opts: { key?: boolean } = {}): { loc?: SourceLoc; frame?: string } {
    const loc = this.locate(path, opts);
    return loc ? { loc, frame: codeFrame(this.text, loc) } : {};
  }

  private rangeOf(path: Path, wantKey: boolean): [number, number] | undefined {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (const seg of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return undefined;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
      } else {
        return undefined;
      }
    }
    const target = (wantKey && keyNode ? keyNode : node) as Node | undefined;
    const r = target?.range;
    return r ? [r[0], r[1]] : undefined;
  }
}
