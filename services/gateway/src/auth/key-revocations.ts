import type { Logger } from '@weft/logger';
import type { RedisClient } from '@weft/queue';
import type { ApiKeyVerifier } from './api-keys';

const channelOf = (prefix: string) => `${prefix}:api-keys:revoked`;

/** Tells every running gateway that these keys were revoked (e.g. by a bootstrap key rotation at boot). */
export async function publishKeyRevocations(redis: RedisClient, prefix: string, hashes: readonly string[]): Promise<void> {
  for (const hash of hashes) await redis.publish(channelOf(prefix), hash);
}

/**
 * Revocation notices between gateway processes: every gateway caches verified keys (for
 * WEFT_API_KEY_CACHE_MS), so a revoked key would keep working elsewhere until its verdict
 * expired. Revoking publishes the key's hash on one Redis channel; every gateway subscribes at
 * startup and drops that key from its cache when the notice arrives (well under a second).
 * Pub/sub loses what is sent while a subscriber is disconnected, so a (re)connected subscriber
 * drops every cached valid key: the next request of each key reads Postgres again.
 */
export class KeyRevocations {
  private constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly verifier: ApiKeyVerifier,
    private readonly logger: Logger,
  ) {}

  /** Subscribes before resolving, so a gateway that answers requests also hears revocations. */
  static async start(opts: { publisher: RedisClient; connect: () => RedisClient; prefix: string; verifier: ApiKeyVerifier; logger: Logger }): Promise<KeyRevocations> {
    const sub = opts.connect();
    const self = new KeyRevocations(opts.publisher, sub, opts.prefix, opts.verifier, opts.logger);
    const channel = channelOf(opts.prefix);
    sub.on('message', (ch: string, hash: string) => {
      if (ch === channel) opts.verifier.invalidate(hash);
    });
    let connectedBefore = false;
    sub.on('ready', () => {
      if (connectedBefore) {
        opts.logger.warn('key revocation subscriber reconnected: forgetting every cached API key');
        opts.verifier.invalidateAll();
      }
      connectedBefore = true;
    });
    sub.on('error', (err) => opts.logger.warn({ err }, 'key revocation subscriber connection error'));
    try {
      await sub.subscribe(channel);
    } catch (err) {
      sub.disconnect();
      throw err;
    }
    return self;
  }

  /**
   * Tells every gateway (this one at once) that these keys are revoked. The revocation is already
   * committed: if Redis cannot be reached, other gateways drop the key when its cached verdict
   * expires (WEFT_API_KEY_CACHE_MS), and this is logged.
   */
  async revoked(hashes: readonly string[]): Promise<void> {
    for (const hash of hashes) {
      this.verifier.invalidate(hash);
      await publishKeyRevocations(this.publisher, this.prefix, [hash]).catch((err: unknown) => {
        this.logger.error({ err }, 'could not publish an API key revocation: other gateways accept the key until its cached verdict expires');
      });
    }
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
