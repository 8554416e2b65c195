/**
 * @fileoverview GPT-2's byte-to-unicode table (as in `openai/gpt-2` encoder.py and HF
 * `ByteLevel`): every byte maps to a printable character, so byte-level tokens can be stored
 * as strings in `vocab.json`/`tokenizer.json` (the space byte becomes `Ġ`, newline `Ċ`).
 */

/** `BYTE_TO_CHAR[b]` is the printable character GPT-2 uses for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Inverse of BYTE_TO_CHAR: character code → byte (or -1). */
const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

function buildByteToChar(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b); // '!'..'~'
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b); // '¡'..'¬'
  for (let b = 0xae; b <= 0xff; b++) printable.push(b); // '®'..'ÿ'
  const out = new Array<string>(256);
  const keep = new Set(printable);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    // Printable bytes map to themselves; the rest shift past U+00FF in byte order.
    out[b] = String.fromCharCode(keep.has(b) ? b : 256 + n++);
  }
  return out;
}

/** Byte-level string (GPT-2 alphabet) → raw bytes; null if a character is outside the alphabet. */
export function byteLevelToBytes(token: string): Uint8Array | null {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const b = CHAR_TO_BYTE.get(token[i]!);
    if (b === undefined) return null;
    out[i] = b;
  }
  return out;
}

/** Raw bytes → byte-level string (GPT-2 alphabet). */
export function bytesToByteLevel(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_CHAR[bytes[i]!]!;
  return s;
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of `s` into `out` (grown if needed); returns the byte count. ASCII is copied
 * without TextEncoder, the common case for pre-tokens.
 */
export function utf8Into(s: string, scratch: { buf: Uint8Array }): number {
  const n = s.length;
  if (scratch.buf.length < n * 3) scratch.buf = new Uint8Array(Math.max(n * 3, 256));
  const buf = scratch.buf;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encodeInto(s, buf).written;
    buf[i] = c;
  }
  return n;
}
