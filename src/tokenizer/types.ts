/**
 * @fileoverview The Tokenizer interface every part of Trainyard codes against.
 */

/** Options of `Tokenizer.encode`. */
export interface EncodeOptions {
  /**
   * Turn special-token text (e.g. `<|endoftext|>`) found in the input into its id. Off by
   * default: document text is encoded as ordinary text (tiktoken's `encode_ordinary`), so a
   * corpus cannot inject control tokens.
   * @default false
   */
  allowSpecial?: boolean;
}

export interface Tokenizer {
  /** Number of ids (max id + 1), special tokens included. */
  readonly vocabSize: number;
  /** Id of `<|endoftext|>` (or the first special token), or null if there is none. */
  readonly eotId: number | null;
  /** Special token text → id. */
  readonly specialTokens: ReadonlyMap<string, number>;
  encode(text: string, opts?: EncodeOptions): number[];
  /** Same ids as `encode`, as a compact typed array (for corpora). */
  encodeToArray(text: string, opts?: EncodeOptions): Uint32Array;
  /** Ids → text; invalid UTF-8 (a cut multi-byte character) decodes to U+FFFD. Unknown ids are skipped. */
  decode(ids: ArrayLike<number>): string;
  /** The Hugging Face `tokenizer.json` object. */
  toJSON(): object;
}

/** A growable buffer of token ids. */
export class IdBuffer {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) { this.data = new Uint32Array(Math.max(capacity, 16)); }

  push(id: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = id;
  }

  pushAll(ids: ArrayLike<number>, n: number = ids.length): void {
    if (this.length + n > this.data.length) this.grow(this.length + n);
    for (let i = 0; i < n; i++) this.data[this.length++] = ids[i]!;
  }

  private grow(min: number): void {
    const d = new Uint32Array(Math.max(min, this.data.length * 2));
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }

  /** The ids written so far (a view; copy it before reusing the buffer). */
  view(): Uint32Array { return this.data.subarray(0, this.length); }
}
