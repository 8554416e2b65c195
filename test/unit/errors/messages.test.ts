/**
 * The message factories are spread into one `errors` object from one file per area, so a
 * name defined in two areas would silently keep only the last one: every name is unique, and
 * every factory builds a TrainyardError with a catalogued code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TrainyardError, errors } from '../../../src/errors/index.js';
import { artifactErrors } from '../../../src/errors/messages/artifacts.js';
import { backendErrors } from '../../../src/errors/messages/backends.js';
import { cliErrors } from '../../../src/errors/messages/cli.js';
import { configErrors } from '../../../src/errors/messages/config.js';
import { dataErrors } from '../../../src/errors/messages/data.js';
import { evalErrors } from '../../../src/errors/messages/eval.js';
import { executorErrors } from '../../../src/errors/messages/executors.js';
import { graphErrors } from '../../../src/errors/messages/graph.js';
import { labelErrors } from '../../../src/errors/messages/label.js';
import { pluginErrors } from '../../../src/errors/messages/plugins.js';
import { preferenceErrors } from '../../../src/errors/messages/preferences.js';
import { rlErrors } from '../../../src/errors/messages/rl.js';
import { runnerErrors } from '../../../src/errors/messages/runner.js';
import { sftErrors } from '../../../src/errors/messages/sft.js';
import { stageErrors } from '../../../src/errors/messages/stages.js';
import { sweepErrors } from '../../../src/errors/messages/sweep.js';

const AREAS = { artifactErrors, backendErrors, cliErrors, configErrors, dataErrors, evalErrors, executorErrors, graphErrors, labelErrors, pluginErrors, preferenceErrors, rlErrors, runnerErrors, sftErrors, stageErrors, sweepErrors };

test('no factory name is defined in two message areas, and `errors` holds them all', () => {
  const seen = new Map<string, string>();
  for (const [area, factories] of Object.entries(AREAS)) {
    for (const name of Object.keys(factories)) {
      assert.equal(seen.get(name), undefined, `${name} is defined in ${seen.get(name)} and ${area}`);
      seen.set(name, area);
    }
  }
  assert.deepEqual(Object.keys(errors).sort(), [...seen.keys()].sort());
});

test('the lock factory names the holder, the short key and the wait', () => {
  const e = errors.locked({ holder: 'run r1 (pid 1 on h, since 2024-01-01)', key: 'b'.repeat(64), waitedMs: 600_000 });
  assert.ok(e instanceof TrainyardError);
  assert.ok(e.code in ErrorCode);
  assert.equal(e.code, 'E_LOCKED');
  assert.equal(e.message, `Gave up after 10 min: run r1 (pid 1 on h, since 2024-01-01) is computing the same result (cache key ${'b'.repeat(12)}) and still holds its lock.`);
});
