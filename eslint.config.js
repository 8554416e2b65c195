/**
 * @fileoverview ESLint flat config that enforces Trainyard's layering, and nothing else.
 *
 * Style and correctness are tsc's job (`npm run typecheck`); this config only encodes which
 * folder under src/ may import which, so that the dependency graph cannot rot silently:
 *
 *   - runner/ never imports ui/, cli/ or watch/ (the runner is driven, it does not drive);
 *   - config/ never imports runner/ (loading a pipeline must not start one);
 *   - graph/ is pure: errors/, util/, config types, the stage contract and its npm libs only;
 *   - model/ knows no backend: it never imports backends/ nor names one ('cpu', 'native', …);
 *   - stages/ reach backends and the disk only through `ctx` and the artifacts/ readers and
 *     writers: no backends/, runner/, cli/, ui/, watch/, cache/, and no `node:fs`;
 *   - ui/ imports only its own files, its npm libs and the runner/lifecycle types;
 *   - only cli/ (and bin/) may call process.exit.
 *
 * Each rule is written once as a regular expression over relative import specifiers and is
 * applied to static imports, re-exports, `await import(…)` and `import('…').Type` alike. The
 * parser is typescript-eslint's, without type information, so a full lint takes seconds.
 */
import tseslint from 'typescript-eslint';

/** The deepest folder nesting below `src/<layer>/` that the per-depth blocks cover. */
const MAX_DEPTH = 4;

/** Backend names the model layer must not spell out (it asks the backend layer instead). */
const BACKEND_NAMES = ['cpu', 'wasm', 'native', 'tensorflow', 'webgl', 'webgpu'];

/** `fs` in all its spellings: stages go through ctx and artifacts/ instead. */
const FS_MODULES = '^(?:node:)?fs(?:/promises)?$';

/**
 * One layering rule per source folder. `deny` lists src/ folders the layer must not import;
 * `only` (instead) lists the only src/ paths it may import, as regex fragments that follow
 * the `../` prefix; `typesOnly` are paths it may import with `import type` only; `modules`
 * are forbidden bare specifiers (node builtins), as regexes.
 * @type {Array<{layer: string, why: string, deny?: string[], only?: string[], typesOnly?: string[], modules?: string[]}>}
 */
const LAYERS = [
  {
    layer: 'runner',
    deny: ['ui', 'cli', 'watch'],
    why: 'runner/ is driven by cli/, ui/ and watch/ through RunLifecycle; it must not import them.',
  },
  {
    layer: 'config',
    deny: ['runner'],
    why: 'config/ loads and validates pipelines; it must not import runner/ (no running while loading).',
  },
  {
    layer: 'graph',
    only: ['errors/', 'util/', 'config/types\\.js$', 'stages/define\\.js$'],
    modules: ['^node:', '^(?:fs|fs/promises|child_process|worker_threads|os|net|http|https)$'],
    why: 'graph/ is pure: it may import only errors/, util/, config/types.js, stages/define.js and its npm libraries (no disk, no runner, no ui, no cache).',
  },
  {
    layer: 'model',
    deny: ['backends'],
    why: 'model/ knows no backend: it must not import backends/; the runner sets the backend up and stages reach it through ctx.',
  },
  {
    layer: 'stages',
    deny: ['backends', 'runner', 'cli', 'ui', 'watch', 'cache'],
    modules: [FS_MODULES],
    why: 'stages/ reach backends and the disk only through ctx (ctx.tensors(), ctx paths) and the artifacts/ readers and writers; they must not import backends/, runner/, cli/, ui/, watch/, cache/ or node:fs.',
  },
  {
    layer: 'ui',
    only: [],
    typesOnly: ['runner/lifecycle\\.js$'],
    why: 'ui/ renders what the runner reports: it may import only its own files, its npm libraries and `import type` from runner/lifecycle.js.',
  },
];

/** Regex fragment for a specifier that climbs exactly `depth` folders (out of the layer into src/). */
function climb(depth) {
  return `^(?:\\.\\./){${depth}}`;
}

/** The restricted-import patterns of one layer, for files `depth` folders below src/. */
function importPatterns(spec, depth) {
  const up = climb(depth);
  const message = spec.why;
  const patterns = (spec.deny ?? []).map((folder) => ({ regex: `${up}${folder}(?:/|\\.js$)`, message }));
  if (spec.only) {
    const allowed = [...spec.only, ...(spec.typesOnly ?? [])];
    const skip = allowed.length > 0 ? `(?!${allowed.join('|')})` : '';
    patterns.push({ regex: `${up}${skip}`, message });
  }
  for (const path of spec.typesOnly ?? []) patterns.push({ regex: `${up}${path}`, message, allowTypeImports: true });
  for (const regex of spec.modules ?? []) patterns.push({ regex, message });
  return patterns;
}

/** esquery selectors that catch the same specifiers in `import(…)` and `import('…').T`. */
function dynamicImportSelectors(patterns) {
  return patterns.flatMap(({ regex, message, allowTypeImports }) => {
    const re = `/${regex.replaceAll('/', '\\/')}/`;
    const selectors = [{ selector: `ImportExpression[source.value=${re}]`, message }];
    if (!allowTypeImports) selectors.push({ selector: `TSImportType[argument.literal.value=${re}]`, message });
    return selectors;
  });
}

/** Selectors for string literals naming a backend (model/ only). */
const backendNameSelectors = [
  {
    selector: `Literal[value=/^(?:${BACKEND_NAMES.join('|')})$/]`,
    message: `model/ knows no backend names (${BACKEND_NAMES.join(', ')}): ask backends/ (through ctx) what the active backend can do instead.`,
  },
];

/** One config block per layer and folder depth, so that `../` counts are exact. */
function layerBlocks() {
  const blocks = [];
  for (const spec of LAYERS) {
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const patterns = importPatterns(spec, depth);
      const syntax = dynamicImportSelectors(patterns);
      if (spec.layer === 'model') syntax.push(...backendNameSelectors);
      blocks.push({
        name: `trainyard/layering/${spec.layer}/depth-${depth}`,
        files: [`src/${spec.layer}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: {
          '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
          'no-restricted-syntax': ['error', ...syntax],
        },
      });
    }
  }
  return blocks;
}

export default [
  {
    name: 'trainyard/ignores',
    ignores: ['dist/', 'node_modules/', 'native/build/', 'coverage/', '.trainyard/', 'tmp/', '**/*.gen.d.ts'],
  },
  {
    name: 'trainyard/typescript',
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    name: 'trainyard/javascript',
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
  },
  ...layerBlocks(),
  {
    name: 'trainyard/process-exit',
    files: ['src/**/*.ts'],
    // The stage worker is a process entry point of its own, like bin/: it exits when the runner goes away.
    ignores: ['src/cli/**', 'src/runner/worker.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'exit',
          message: 'only cli/ (and bin/) may end the process: throw a TrainyardError, or set process.exitCode, and let cli/ decide.',
        },
      ],
    },
  },
];
