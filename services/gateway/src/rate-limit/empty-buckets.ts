/**
 * Buckets known to be empty, until when: a refused client that keeps sending is answered 429 from
 * memory, without a Redis call, until its bucket can hold a token again. Sound across gateways:
 * a bucket only gains tokens by refilling (at most one token by `until`), and other gateways can
 * only take more. Bounded: expired entries are dropped first, then the oldest.
 */
export class EmptyBuckets {
  private readonly entries = new Map<string, { until: number; fullAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Remembers that `key` holds no token until `until` and is full at `fullAt` (ms of the same clock as `now`). */
  set(key: string, until: number, fullAt: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { until, fullAt });
    if (this.entries.size <= this.maxEntries) return;
    for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }

  /** The entry of `key` if it is still empty at `now`. */
  get(key: string, now: number): { until: number; fullAt: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > now) return e;
    this.entries.delete(key);
    return undefined;
  }
}
