/**
 * @fileoverview Text helpers shared by the data stages: datatrove's `simplify_text`
 * normalisation (used by dedupe, split and boilerplate counting), word and line splitting.
 */

const PUNCT_RE = /[\p{P}\p{S}]+/gu;
const DIGIT_RE = /\p{Nd}/gu;
const MARK_RE = /\p{M}+/gu;
const SPACE_RE = /\s+/gu;

/**
 * datatrove `simplify_text`: lowercase, digits → `0`, punctuation/symbols → space, diacritics
 * removed (NFD then drop combining marks), whitespace collapsed, trimmed.
 */
export function simplifyText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(MARK_RE, '')
    .replace(DIGIT_RE, '0')
    .replace(PUNCT_RE, ' ')
    .replace(SPACE_RE, ' ')
    .trim();
}

/** Whitespace-separated words (no empty strings). */
export function splitWords(text: string): string[] {
  return text.split(/\s+/u).filter((w) => w.length > 0);
}

/** Lines split on `\n+` (datatrove), trimmed, empty ones dropped. */
export function splitLines(text: string): string[] {
  return text.split(/\n+/u).map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Paragraphs split on `\n{2,}`, trimmed, empty ones dropped. */
export function splitParagraphs(text: string): string[] {
  return text.split(/\n{2,}/u).map((p) => p.trim()).filter((p) => p.length > 0);
}

/** UTF-8 byte length without allocating a buffer. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
