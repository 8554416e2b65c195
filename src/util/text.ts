/**
 * @fileoverview Text helpers shared by the data stages: datatrove's `simplify_text`
 * normalisation (used by dedupe and clean).
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
