import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shouldUseInkUi } from '../../../src/ui/index.js';

test('ink only on an interactive terminal outside CI without --plain/--json', () => {
  const tty = { isTTY: true };
  assert.equal(shouldUseInkUi({}, {}, tty), true);
  assert.equal(shouldUseInkUi({}, {}, { isTTY: false }), false);
  assert.equal(shouldUseInkUi({}, {}, {}), false);
  assert.equal(shouldUseInkUi({ plain: true }, {}, tty), false);
  assert.equal(shouldUseInkUi({ json: true }, {}, tty), false);
  assert.equal(shouldUseInkUi({}, { CI: 'true' }, tty), false);
  assert.equal(shouldUseInkUi({}, { CI: '1' }, tty), false);
  assert.equal(shouldUseInkUi({}, { CI: 'false' }, tty), true);
  assert.equal(shouldUseInkUi({}, { TERM: 'dumb' }, tty), false);
});
