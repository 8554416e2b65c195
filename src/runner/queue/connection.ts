/**
 * @fileoverview The Redis behind the BullMQ executor: `redis://[user:password@]host:port[/db]`
 * (or `rediss://` for TLS), and the queue names. A stage goes to the queue of the worker tags
 * it needs (`resources: { gpus: 1 }` needs `gpu`); a worker started with `--tags gpu` takes
 * jobs from the queue of every subset of its tags, so it runs plain stages too.
 *
 *   trainyard              stages that need no tag
 *   trainyard-gpu          stages that need a GPU
 *   trainyard-gpu+a100     stages that need both tags
 */
import { Redis, type RedisOptions } from 'ioredis';
import { errors } from '../../errors/index.js';
import type { StageResources } from '../../config/types.js';

/** A parsed queue URL. */
export interface QueueTarget {
  /** The URL without its password, for messages. */
  display: string;
  /** Options for BullMQ's and our own ioredis connections. */
  connection: RedisOptions & { host: string; port: number };
}

/** Parses `redis://host:port[/db]`; anything else is E_USAGE naming the flag. */
export function queueTarget(url: string, flag: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw errors.badQueueUrl({ url, flag });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw errors.badQueueUrl({ url, flag });
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw errors.badQueueUrl({ url, flag });
  const host = u.hostname || 'localhost';
  const port = u.port ? Number(u.port) : 6379;
  const connection: QueueTarget['connection'] = {
    host, port, db: db ? Number(db) : 0,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers block on Redis; it requires this to be null.
    maxRetriesPerRequest: null,
  };
  return { display: `${u.protocol}//${host}:${port}${db ? `/${db}` : ''}`, connection };
}

/** Checks that Redis answers within `timeoutMs`; E_USAGE saying how to start one if not. */
export async function checkReachable(t: QueueTarget, flag: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis({ ...t.connection, lazyConnect: true, enableOfflineQueue: false, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw errors.queueUnreachable({ url: t.display, flag, reason: (err as Error).message });
  } finally {
    probe.disconnect();
  }
}

/** The worker tags a stage needs: its `tags`, plus `gpu` when it asks for GPUs; sorted. */
export function stageTags(r: StageResources | undefined): string[] {
  const tags = new Set(r?.tags ?? []);
  if ((r?.gpus ?? 0) > 0) tags.add('gpu');
  return [...tags].sort();
}

/** The queue of stages needing exactly these tags. */
export function queueName(tags: readonly string[]): string {
  return tags.length === 0 ? 'trainyard' : `trainyard-${[...tags].sort().join('+')}`;
}

/** Most tags one worker may have (it listens on 2^n queues). */
export const MAX_WORKER_TAGS = 4;

/** The queues a worker with `tags` takes jobs from: one per subset of its tags. */
export function workerQueues(tags: readonly string[]): string[] {
  const uniq = [...new Set(tags)].sort();
  const out: string[] = [];
  for (let mask = 0; mask < 1 << uniq.length; mask++) out.push(queueName(uniq.filter((_, i) => mask & (1 << i))));
  return out;
}
