/**
 * @fileoverview Character-level cleaning: Unicode normalisation (NFC/NFKC), control
 * characters, whitespace. Each step reports whether it changed the text, for the stats.
 */

// C0/C1 controls except \t and \n, plus BOM, zero-width and bidi controls.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF\u200B-\u200D\u2060\u202A-\u202E\u2066-\u2069\uFFFD]/gu;

export function normalizeUnicode(text: string, form: 'NFC' | 'NFKC' | 'none'): string {
  return form === 'none' ? text : text.normalize(form);
}

export function removeControlChars(text: string): string {
  return text.replace(/\r\n?/gu, '\n').replace(CONTROL_RE, '');
}

/** Collapses runs of spaces/tabs, trims every line, keeps at most one blank line in a row. */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?/gu, '\n')
    .replace(/[\t\f\v \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/gu, ' ')
    .split('\n').map((l) => l.trim()).join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}
