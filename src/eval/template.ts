/**
 * @fileoverview The small subset of lm-eval's Jinja prompt templates that task files need:
 * `{{ field }}`, nested paths (`{{ a.b }}`, `{{ choices[0] }}`), `.strip()` and `| trim`.
 * A value that names a field of the document (`doc_to_text: question`) is that field's value,
 * as in lm-eval.
 *
 *   render('{{question.strip()}}\nAnswer:', { question: ' Who? ' })  // 'Who?\nAnswer:'
 *
 * A placeholder naming a field the document lacks is E_TASK; task-file.ts checks the syntax
 * of every template when the task file loads (templateProblem).
 */
import { errors } from '../errors/index.js';

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

/** An expression: a path (`a.b[0]`), an integer or a quoted string, with optional .strip() / | trim. */
const EXPRESSION = /^\s*(?:[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*|-?\d+|(['"]).*\1)\s*(?:\.strip\(\))?\s*(?:\|\s*trim\s*)?$/;

/** The first malformed placeholder of a template and what is wrong with it, or null. */
export function templateProblem(template: string): { placeholder: string; problem: string } | null {
  const open = template.indexOf('{{', template.lastIndexOf('}}') + 1);
  if (open >= 0 && !template.includes('}}', open)) return { placeholder: template.slice(open, open + 20), problem: 'is never closed with }}' };
  for (const m of template.matchAll(/\{\{([^}]*)\}\}/g)) {
    if (!m[1]!.trim()) return { placeholder: m[0], problem: 'is empty' };
    if (!EXPRESSION.test(m[1]!)) return { placeholder: m[0], problem: 'is not a field path, a number or a quoted string (filters other than .strip() and | trim are not supported)' };
  }
  return null;
}

/** Evaluates one `{{ … }}` expression. Throws E_TASK on a missing field. */
function evaluate(expr: string, doc: TaskDoc): unknown {
  let e = expr.trim();
  let trim = false;
  if (/\|\s*trim\s*$/.test(e)) { trim = true; e = e.replace(/\|\s*trim\s*$/, '').trim(); }
  if (e.endsWith('.strip()')) { trim = true; e = e.slice(0, -'.strip()'.length); }
  if (/^-?\d+$/.test(e)) return Number(e);
  if (/^(['"]).*\1$/.test(e)) return e.slice(1, -1);
  const v = lookup(doc, e);
  if (v === undefined) throw errors.templateField({ placeholder: `{{${expr}}}`, field: e, fields: Object.keys(doc) });
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
