import type { Keyring } from '@weft/crypto';
import type { Db } from '@weft/db';
import type { Logger } from '@weft/logger';
import type { Queues } from '@weft/queue';
import type { OutboxDeletes } from '@weft/run-store';
import type { RedisClient } from '@weft/queue';

/** Everything the ingress needs, passed in (tests build their own). */
export interface WebhooksResources {
  db: Db;
  queues: Queues;
  /** Commands (rate limits). */
  redis: RedisClient;
  /** A dedicated connection for the live-run subscriptions of sync deliveries. */
  subscriber: RedisClient;
  logger: Logger;
  /** Key prefix shared with the queues; live-run channels and rate-limit keys live under it. */
  prefix: string;
  /** Decrypts the hooks' signing secrets; without it only scheme `none` hooks accept deliveries. */
  keyring?: Keyring;
  outboxDeletes?: OutboxDeletes;
}

export interface WebhooksOptions {
  /** Largest delivery body (bytes). */
  maxBodyBytes: number;
  /** How long a sender's delivery id dedupes (ms). */
  dedupeWindowMs: number;
  /** Per-hook token bucket. */
  rate: { perSecond: number; burst: number };
  /** Per-org token bucket (all of an org's hooks together). */
  orgRate: { perSecond: number; burst: number };
  /** The gateway's public base URL (status URLs of sync deliveries past their deadline). */
  gatewayUrl: string;
  /** Value limits of run inputs. */
  limits: { maxValueBytes: number; maxValueDepth: number };
  /** The clock in ms (tests pin it for timestamp tolerance). */
  now?: () => number;
  /** How long a live hook (settings, secrets in clear, latest version) is reused between deliveries, ms (≤ 1000; 0 or unset: read each time). */
  hookCacheMs?: number;
}
