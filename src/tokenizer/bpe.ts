/**
 * @fileoverview Byte-level BPE encoder/decoder. Text is split into pre-tokens (GPT-2 pattern),
 * each pre-token's UTF-8 bytes become byte tokens, and merges apply by rank (see merge.ts).
 * A bounded cache maps pre-token → ids, so repeated words cost one Map lookup (tiktoken's
 * trick); on English text most pre-tokens hit it.
 */
import { utf8Into } from './bytes.js';
import { mergeWord, PairTable } from './merge.js';
import { compilePattern, GPT2_PATTERN } from './pretokenize.js';
import { IdBuffer, type EncodeOptions, type Tokenizer } from './types.js';
import { splitSpecials } from './specials.js';
import { bpeToHfJson, type BpeSpec } from './bpe-spec.js';

export type { BpeSpec } from './bpe-spec.js';

/** Pre-tokens longer than this are not cached (keeps memory bounded on odd input). */
const MAX_CACHED_PIECE = 64;
/** Cache entries before the cache is dropped and refilled. */
const MAX_CACHE = 200_000;

export class BpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly eotId: number | null;
  readonly specialTokens: ReadonlyMap<string, number>;
  readonly spec: BpeSpec;
  private readonly pairs: PairTable;
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly re: RegExp;
  private readonly cache = new Map<string, number | Uint32Array>();
  private readonly scratch = { buf: new Uint8Array(256) };
  private idScratch = new Int32Array(256);
  private readonly tokenBytes: Array<Uint8Array | null>;

  constructor(spec: BpeSpec) {
    this.spec = spec;
    this.specialTokens = spec.specials;
    this.tokenBytes = spec.tokens.slice();
    for (const [text, id] of spec.specials) this.tokenBytes[id] = new TextEncoder().encode(text);
    let max = spec.tokens.length - 1;
    for (const id of spec.specials.values()) max = Math.max(max, id);
    this.vocabSize = max + 1;
    if (this.vocabSize > 2097152) throw new RangeError(`vocabulary of ${this.vocabSize} ids is larger than the 2^21 supported`);
    this.eotId = spec.specials.get('<|endoftext|>') ?? spec.specials.values().next().value ?? null;
    this.pairs = new PairTable(spec.merges.length);
    const byId = new Map<string, number>();
    spec.tokens.forEach((t, id) => { if (t) byId.set(Buffer.from(t).toString('latin1'), id); });
    for (let b = 0; b < 256; b++) this.byteIds[b] = byId.get(String.fromCharCode(b)) ?? -1;
    spec.merges.forEach(([a, b], rank) => {
      const ta = spec.tokens[a], tb = spec.tokens[b];
      if (!ta || !tb) return;
      const merged = byId.get(Buffer.from(ta).toString('latin1') + Buffer.from(tb).toString('latin1'));
      if (merged !== undefined) this.pairs.set(a, b, rank, merged);
    });
    this.re = compilePattern(spec.pattern ?? GPT2_PATTERN);
  }

  encode(text: string, opts?: EncodeOptions): number[] {
    return Array.from(this.encodeToArray(text, opts));
  }

  encodeToArray(text: string, opts?: EncodeOptions): Uint32Array {
    const out = new IdBuffer(Math.ceil(text.length / 3) + 16);
    this.encodeInto(text, out, opts);
    return out.view();
  }

  /** Appends the ids of `text` to `out`. */
  encodeInto(text: string, out: IdBuffer, opts?: EncodeOptions): void {
    if (this.spec.addPrefixSpace && text.length > 0 && text[0] !== ' ') text = ' ' + text;
    if (opts?.allowSpecial && this.specialTokens.size > 0) {
      for (const part of splitSpecials(text, this.specialTokens)) {
        if (typeof part === 'number') out.push(part);
        else this.encodeOrdinary(part, out);
      }
    } else {
      this.encodeOrdinary(text, out);
    }
  }

  private encodeOrdinary(text: string, out: IdBuffer): void {
    const re = this.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const piece = m[0];
      if (piece.length === 0) { re.lastIndex++; continue; }
      const hit = this.cache.get(piece);
      if (hit !== undefined) {
        if (typeof hit === 'number') out.push(hit);
        else out.pushAll(hit);
        continue;
      }
      this.encodePiece(piece, out);
    }
  }

  private encodePiece(piece: string, out: IdBuffer): void {
    const nb = utf8Into(piece, this.scratch);
    if (this.idScratch.length < nb) this.idScratch = new Int32Array(nb * 2);
    const ids = this.idScratch;
    const bytes = this.scratch.buf;
    let n = 0;
    for (let i = 0; i < nb; i++) {
      const id = this.byteIds[bytes[i]!]!;
      if (id >= 0) ids[n++] = id; // a byte missing from the vocabulary is dropped
    }
    n = mergeWord(ids, n, this.pairs);
    out.pushAll(ids, n);
    if (piece.length <= MAX_CACHED_PIECE) {
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(piece, n === 1 ? ids[0]! : Uint32Array.from(ids.subarray(0, n)));
    }
  }

  decode(ids: ArrayLike<number>): string {
    return new TextDecoder('utf-8').decode(this.decodeBytes(ids));
  }

  /** The raw bytes of `ids` (specials as their UTF-8 text). */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    const parts: Uint8Array[] = [];
    let len = 0;
    for (let i = 0; i < ids.length; i++) {
      const t = this.tokenBytes[ids[i]!];
      if (t) { parts.push(t); len += t.length; }
    }
    const out = new Uint8Array(len);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  /** Raw bytes of one token id (null when unknown). */
  tokenToBytes(id: number): Uint8Array | null {
    return this.tokenBytes[id] ?? null;
  }

  toJSON(): object {
    return bpeToHfJson(this.spec);
  }
}
