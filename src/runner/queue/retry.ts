/**
 * @fileoverview How a queued stage is retried: a crash (the stage's process died, an OOM, a
 * busy lock, a network blip) gets another attempt after a delay that doubles each time; a
 * stage's own error (bad options, a bug it reports) fails at once, as it would again. A job re-queued because its worker died
 * does not use an attempt (BullMQ's stalled check moves it back as it was).
 *
 *   attempt 1 ✗ ─ backoff ─▶ attempt 2 ✗ ─ 2 × backoff ─▶ attempt 3 …   (capped at MAX_BACKOFF_MS)
 *
 * The job carries the policy (`backoff: { type: BACKOFF_TYPE, delay }`); workers compute the
 * delay with `retryDelayMs`, so the submitting run decides it.
 */
import type { JobsOptions } from 'bullmq';
import { errors } from '../../errors/index.js';

export interface RetryPolicy {
  /** Attempts per stage, the first included. */
  attempts: number;
  /** Delay before the first retry; each next one doubles. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 2000 };
/** The longest wait between two attempts. */
export const MAX_BACKOFF_MS = 10 * 60_000;
/** Name of our backoff strategy in a job's options (workers register it). */
export const BACKOFF_TYPE = 'trainyard';
/** How long finished jobs stay (a re-enqueue of a finished key within it is answered by the job). */
const KEEP_S = 24 * 3600;

/** Error codes worth another attempt: the stage's process died (a crash, an OOM kill), its key was busy. */
const RETRY_CODES = new Set(['E_STAGE_CRASHED', 'E_LOCKED']);
/** A stage's unexpected error is retried only when it is a network blip. */
const TRANSIENT = /\b(ECONNRESET|ETIMEDOUT|EAI_AGAIN|ECONNREFUSED|EPIPE|ENETUNREACH|socket hang up)\b/;

/** Whether a failed attempt gets another: a crash or a network blip does, a stage's own error does not. */
export function isRetryable(code: string, message = ''): boolean {
  return RETRY_CODES.has(code) || (code === 'E_INTERNAL' && TRANSIENT.test(message));
}

/** The wait before the next attempt after `attemptsMade` failed ones (1 → base, 2 → 2 × base, …). */
export function retryDelayMs(attemptsMade: number, baseMs: number): number {
  if (attemptsMade < 1 || baseMs <= 0) return 0;
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(attemptsMade - 1, 30));
}

/** The BullMQ options of a stage's job: its cache key as job id, so adding it again finds the same job. */
export function stageJobOptions(key: string, policy: RetryPolicy): JobsOptions {
  return {
    jobId: key, attempts: policy.attempts, backoff: { type: BACKOFF_TYPE, delay: policy.backoffMs },
    removeOnComplete: { age: KEEP_S }, removeOnFail: { age: KEEP_S },
  };
}

/** The policy from TRAINYARD_QUEUE_ATTEMPTS / TRAINYARD_QUEUE_BACKOFF_MS (defaults otherwise); E_USAGE naming a bad one. */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw errors.badExecutorSetting({ name, value: raw, min });
    return n;
  };
  return { attempts: read('TRAINYARD_QUEUE_ATTEMPTS', DEFAULT_RETRY.attempts, 1), backoffMs: read('TRAINYARD_QUEUE_BACKOFF_MS', DEFAULT_RETRY.backoffMs, 0) };
}
