/**
 * @fileoverview Expands a source stage's `files:` globs to a sorted list of absolute paths.
 * `npm:<package>/<glob>` globs inside an installed package, resolved from the pipeline's
 * folder first and then from Trainyard's own install (so shipped datasets always resolve).
 */
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { errors } from '../../errors/index.js';

function packageRoot(name: string, fromDir: string): string | undefined {
  for (const base of [join(fromDir, 'noop.js'), import.meta.url.startsWith('file:') ? new URL(import.meta.url).pathname : fromDir]) {
    try {
      return dirname(createRequire(base).resolve(`${name}/package.json`));
    } catch { /* try next */ }
  }
  return undefined;
}

/** Splits `npm:@scope/pkg/rest/of/glob` into package name and glob. */
function splitNpm(spec: string): { pkg: string; rest: string } {
  const parts = spec.slice(4).split('/');
  const n = parts[0]?.startsWith('@') ? 2 : 1;
  return { pkg: parts.slice(0, n).join('/'), rest: parts.slice(n).join('/') || '**/*' };
}

export async function expandFiles(patterns: string | string[], cwd: string): Promise<string[]> {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  const out = new Set<string>();
  for (const p of list) {
    let pattern = p;
    let base = cwd;
    if (p.startsWith('npm:')) {
      const { pkg, rest } = splitNpm(p);
      const root = packageRoot(pkg, cwd);
      if (!root) throw errors.packageMissing({ pkg });
      base = root;
      pattern = rest;
    } else if (isAbsolute(p)) {
      base = '/';
      pattern = p.slice(1);
    }
    const found = await glob(pattern, { cwd: base, absolute: true, onlyFiles: true, dot: false });
    for (const f of found) out.add(resolve(f));
  }
  return [...out].sort();
}
