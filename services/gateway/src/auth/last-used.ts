import type { Logger } from '@weft/logger';
import type { Pool } from 'pg';

/** How often a key's `last_used_at` may be written (ms): it is shown to the minute. */
export const LAST_USED_EVERY_MS = 60_000;

/**
 * Records when a key was last used without a write per request: each gateway writes a key's
 * `last_used_at` at most once per minute (a map lookup per request otherwise), and the UPDATE
 * itself skips a row another gateway wrote within the minute. Fire and forget: a failed write
 * costs a stale timestamp, never a request.
 */
export class LastUsedRecorder {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly maxEntries = 10_000,
  ) {}

  touch(keyId: string, now = Date.now()): void {
    const last = this.written.get(keyId);
    if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
    this.written.delete(keyId);
    if (this.written.size >= this.maxEntries) this.written.delete(this.written.keys().next().value!);
    this.written.set(keyId, now);
    this.pool
      .query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '${LAST_USED_EVERY_MS} milliseconds')`, [keyId])
      .catch((err: unknown) => this.logger.warn({ err }, 'could not record when an API key was last used'));
  }
}
