import type { Cluster, Redis } from 'ioredis';
import type { Pool } from 'pg';
import { FLAG_KEYS, FLAGS, type FlagKey, type FlagReader } from './catalog';
import { EMPTY_SNAPSHOT, readFlags, writeDefault, writeOrgValue, type FlagSnapshot } from './store';

export interface FeatureFlagsOptions {
  pool: Pool;
  /** A connection of the platform's Redis: changes are announced on it, and a duplicate listens. */
  redis: Redis | Cluster;
  /** The platform's Redis key prefix (WEFT_QUEUE_PREFIX). */
  prefix: string;
  /** Re-read from Postgres this often whatever is announced (a lost message costs at most this). Default 30 s. */
  refreshMs?: number;
  onError?: (err: unknown) => void;
}

/** What a flag says for one org, and why. */
export interface FlagState {
  key: FlagKey;
  description: string;
  enabled: boolean;
  source: 'org' | 'default' | 'code';
}

/**
 * Feature flags held in memory: `enabled(org, key)` is a map lookup, free on the hot path. Every
 * process re-reads Postgres when a change is announced on Redis (`<prefix>:flags:changed`, sent by
 * `set*` after the write commits) and every `refreshMs` in case an announcement was lost.
 */
export class FeatureFlags implements FlagReader {
  private snapshot: FlagSnapshot = EMPTY_SNAPSHOT;
  private subscriber: Redis | Cluster | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

  private constructor(private readonly o: FeatureFlagsOptions) {}

  static async start(o: FeatureFlagsOptions): Promise<FeatureFlags> {
    const flags = new FeatureFlags(o);
    await flags.reload();
    const subscriber = o.redis.duplicate();
    flags.subscriber = subscriber;
    subscriber.on('message', () => void flags.reload().catch((err: unknown) => o.onError?.(err)));
    subscriber.on('error', (err) => o.onError?.(err));
    // A duplicate keeps the original's options: without an offline queue it must be connected first.
    if (subscriber.status !== 'ready') await new Promise((resolve) => subscriber.once('ready', resolve));
    await subscriber.subscribe(flags.channel);
    flags.timer = setInterval(() => void flags.reload().catch((err: unknown) => o.onError?.(err)), o.refreshMs ?? 30_000);
    flags.timer.unref();
    return flags;
  }

  private get channel(): string {
    return `${this.o.prefix}:flags:changed`;
  }

  enabled(orgId: string, key: FlagKey): boolean {
    return this.snapshot.orgs.get(orgId)?.get(key) ?? this.snapshot.defaults.get(key) ?? FLAGS[key].default;
  }

  /** Every flag for one org, with where its value comes from. */
  forOrg(orgId: string): FlagState[] {
    return FLAG_KEYS.map((key) => {
      const org = this.snapshot.orgs.get(orgId)?.get(key);
      const set = this.snapshot.defaults.get(key);
      const [enabled, source] = org !== undefined ? [org, 'org' as const] : set !== undefined ? [set, 'default' as const] : [FLAGS[key].default, 'code' as const];
      return { key, description: FLAGS[key].description, enabled, source };
    });
  }

  /** Every flag's default (as set, or from code) and the orgs that have their own value. */
  overview(): { key: FlagKey; description: string; enabled: boolean; source: 'default' | 'code'; orgs: { orgId: string; enabled: boolean }[] }[] {
    return FLAG_KEYS.map((key) => {
      const set = this.snapshot.defaults.get(key);
      const orgs = [...this.snapshot.orgs].flatMap(([orgId, values]) => (values.has(key) ? [{ orgId, enabled: values.get(key)! }] : []));
      return { key, description: FLAGS[key].description, enabled: set ?? FLAGS[key].default, source: set === undefined ? 'code' : 'default', orgs };
    });
  }

  async setDefault(key: FlagKey, enabled: boolean | null, by: string | null): Promise<void> {
    await writeDefault(this.o.pool, key, enabled, by);
    await this.announce();
  }

  /** False when the org does not exist. */
  async setForOrg(orgId: string, key: FlagKey, enabled: boolean | null, by: string | null): Promise<boolean> {
    if (!(await writeOrgValue(this.o.pool, orgId, key, enabled, by))) return false;
    await this.announce();
    return true;
  }

  /** Re-reads Postgres (one read at a time; a call during a read waits for a fresh one). */
  async reload(): Promise<void> {
    const previous = this.reading;
    const next = (async () => {
      await previous?.catch(() => undefined);
      this.snapshot = await readFlags(this.o.pool);
    })();
    this.reading = next;
    try {
      await next;
    } finally {
      if (this.reading === next) this.reading = undefined;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.subscriber?.disconnect();
    await this.reading?.catch(() => undefined);
  }

  /** After the write: this process now, the others on the announcement. */
  private async announce(): Promise<void> {
    await this.reload();
    await this.o.redis.publish(this.channel, '1').catch((err: unknown) => this.o.onError?.(err));
  }
}
