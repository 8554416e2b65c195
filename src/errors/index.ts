/**
 * @fileoverview Public surface of the errors folder: the error type, the code catalog, the
 * message factories and the renderers (code frame, did-you-mean).
 */
export { ErrorCode, exitCodeFor, type ErrorCodeName, type ErrorCodeInfo } from './codes.js';
export { didYouMean, closestMatch } from './did-you-mean.js';
export { codeFrame } from './frame.js';
export {
  TrainyardError, TrainyardErrorList, asTrainyardError, formatError,
  type SourceLoc, type TrainyardErrorInit,
} from './error.js';
export { errors, type Where } from './messages/index.js';
