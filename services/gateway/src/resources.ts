import type { Keyring } from '@weft/crypto';
import type { Db } from '@weft/db';
import type { Logger } from '@weft/logger';
import type { Queues } from '@weft/queue';
import type { OutboxDeletes } from '@weft/run-store';
import type { RedisClient } from '@weft/queue';

/** Everything a route needs, passed in (tests build their own). */
export interface Resources {
  db: Db;
  queues: Queues;
  redis: RedisClient;
  logger: Logger;
  /** Key prefix shared with the queues (WEFT_QUEUE_PREFIX); live-run channels live under it. */
  prefix: string;
  /** Opens a Redis connection for pub/sub (a subscribed connection can run no other command). */
  createSubscriber: () => RedisClient;
  /** Key-encryption keys for secrets (WEFT_KEKS); without them the secrets API answers 503. */
  keyring?: Keyring;
  /** Batches the DELETE of published outbox rows on the hot path (POST /v1/runs); without it each is deleted at once. */
  outboxDeletes?: OutboxDeletes;
  /** Size and depth of run inputs and approval payloads (WEFT_MAX_VALUE_BYTES/DEPTH; default: the engine's). */
  limits?: { maxValueBytes: number; maxValueDepth: number };
}
