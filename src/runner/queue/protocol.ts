/**
 * @fileoverview What a queue worker and a submitting run say to each other beside BullMQ's
 * own job states: a job's progress updates carry the stage's events (logs, progress,
 * metrics, stats) or, just before a failure, its error; a cancel is published on a channel.
 */
import type { JobEvent } from '../job.js';

/** Payload of `job.updateProgress`. */
export type ProgressMessage = { event: JobEvent } | { error: Record<string, unknown> };

/** Pub/sub channel: a message is the cache key (= job id) of a stage to stop. */
export const CANCEL_CHANNEL = 'trainyard:cancel';
