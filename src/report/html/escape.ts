/**
 * @fileoverview Escaping for everything the report puts into its HTML: text and attribute
 * values (document text, prompts, samples, stage names), and JSON inside a `<script>` block,
 * where `</script>`, `<!--` and the line separators U+2028/U+2029 must not survive.
 *
 *   `<td>${html(doc.text)}</td>`          `<script type="application/json">${scriptJson(data)}</script>`
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a quoted attribute value. */
export function html(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON that is safe as the content of a `<script>` element: `<`, `>` and `&` become `\u003c`
 * and friends (so no `</script>` or `<!--` can close or comment the block), and U+2028/U+2029
 * are escaped too. `JSON.parse` of the element's text gives back the value.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A script's source (the bundled chart library) safe inside an inline `<script>`: `</script`
 * becomes `<\/script`, the same text to JavaScript inside a string or a regular expression
 * (the only places it can occur), and `<!--` (which with a later `<script` would change how the
 * HTML parser ends the element) is refused rather than rewritten.
 */
export function inlineScript(source: string): string {
  if (source.includes('<!--')) throw new Error('inline script contains "<!--"');
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
