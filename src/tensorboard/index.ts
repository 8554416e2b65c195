/**
 * @fileoverview TensorBoard event files (TFRecord-framed `Event` protobufs): a writer that
 * TensorBoard reads live, and a reader (resume, tests).
 */
export { EventFileWriter, eventFileName, rewriteEventFile, textValue } from './writer.js';
export { eventFilesIn, readEventFile, textOf, type EventFileContents } from './reader.js';
export { decodeEvent, encodeEvent, FILE_VERSION, type SummaryValue, type TbEvent } from './proto.js';
export { frameRecord, maskedCrc32c, readRecords } from './record.js';
