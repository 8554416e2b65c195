/**
 * @fileoverview The small subset of lm-eval's Jinja prompt templates that task files need:
 * `{{ field }}`, nested paths (`{{ a.b }}`, `{{ choices[0] }}`), `.strip()` and `| trim`.
 * A value that names a field of the document (`doc_to_text: question`) is that field's value,
 * as in lm-eval.
 *
 *   render('{{question.strip()}}\nAnswer:', { question: ' Who? ' })  // 'Who?\nAnswer:'
 */

export type TaskDoc = Record<string, unknown>;

/** Looks up `a.b[0].c` in a document. */
export function lookup(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Evaluates one `{{ … }}` expression. Throws on a missing field. */
function evaluate(expr: string, doc: TaskDoc): unknown {
  let e = expr.trim();
  let trim = false;
  if (/\|\s*trim\s*$/.test(e)) { trim = true; e = e.replace(/\|\s*trim\s*$/, '').trim(); }
  if (e.endsWith('.strip()')) { trim = true; e = e.slice(0, -'.strip()'.length); }
  if (/^-?\d+$/.test(e)) return Number(e);
  if (/^(['"]).*\1$/.test(e)) return e.slice(1, -1);
  const v = lookup(doc, e);
  if (v === undefined) throw new Error(`template field "${e}" is not in the document (has: ${Object.keys(doc).join(', ')})`);
  return trim && typeof v === 'string' ? v.trim() : v;
}

/** Renders a template to a string (non-string values are JSON-encoded, like Jinja's str()). */
export function render(template: string, doc: TaskDoc): string {
  return template.replace(/\{\{([^}]*)\}\}/g, (_, expr: string) => {
    const v = evaluate(expr, doc);
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/**
 * Resolves a `doc_to_*` value: a field name → the field's value; a template that is exactly
 * one `{{ expr }}` → the expression's value (arrays and numbers kept); otherwise the rendered
 * string; non-strings (lists, numbers) are returned as they are.
 */
export function resolveValue(spec: unknown, doc: TaskDoc): unknown {
  if (typeof spec !== 'string') return spec;
  if (Object.hasOwn(doc, spec)) return doc[spec];
  const whole = /^\s*\{\{([^}]*)\}\}\s*$/.exec(spec);
  if (whole) return evaluate(whole[1]!, doc);
  return render(spec, doc);
}
