/**
 * src/ has no import cycles, counting type-only imports and `await import()` (each layer can
 * then be read, tested and linted on its own). The checker itself is tested on a planted cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { importCycles } from '../helpers/import-graph.js';
import { tempDir } from '../helpers/stage-tester.js';

test('src/ has no import cycles', () => {
  assert.deepEqual(importCycles(join(ROOT, 'src')), []);
});

test('the checker finds a planted cycle through a type-only import and a dynamic import', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'b'));
  await writeFile(join(dir, 'a.ts'), "import type { B } from './b/b.js';\nexport type A = B;\n");
  await writeFile(join(dir, 'b', 'b.ts'), "export type B = number;\nexport const c = () => import('../c.js');\n");
  await writeFile(join(dir, 'c.ts'), "export { } from './a.js';\n");
  await writeFile(join(dir, 'd.ts'), "import './c.js';\n");
  assert.deepEqual(importCycles(dir), [['a.ts', 'b/b.ts', 'c.ts']]);
});
