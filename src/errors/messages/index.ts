/**
 * @fileoverview The message factories, one per situation a user can cause (ESLint's
 * messages/): `throw errors.splitTooShort({ split, tokens, blockSize })`. Each returns a
 * TrainyardError with its catalogued code (../codes.ts), the message and a hint; the optional
 * last argument says where it points (file, loc, frame, stage, cause).
 */
import { artifactErrors } from './artifacts.js';
import { backendErrors } from './backends.js';
import { cliErrors } from './cli.js';
import { configErrors } from './config.js';
import { dataErrors } from './data.js';
import { evalErrors } from './eval.js';
import { executorErrors } from './executors.js';
import { graphErrors } from './graph.js';
import { labelErrors } from './label.js';
import { pluginErrors } from './plugins.js';
import { preferenceErrors } from './preferences.js';
import { rlErrors } from './rl.js';
import { runnerErrors } from './runner.js';
import { sftErrors } from './sft.js';
import { stageErrors } from './stages.js';
import { sweepErrors } from './sweep.js';

export type { Where } from './make.js';

export const errors = {
  ...configErrors, ...graphErrors, ...dataErrors, ...evalErrors, ...cliErrors,
  ...pluginErrors, ...backendErrors, ...runnerErrors, ...stageErrors, ...sftErrors,
  ...preferenceErrors, ...rlErrors, ...labelErrors, ...sweepErrors, ...artifactErrors,
  ...executorErrors,
};
