import { createHash, randomBytes } from 'node:crypto';
import type { KeyPrincipal } from './principal';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new API key: `weft_` + 32 random bytes, base64url. Only its SHA-256 is stored. */
export const generateApiKey = () => `weft_${randomBytes(32).toString('base64url')}`;

export { actorOf, actorOfPrincipal, principalRef, type KeyPrincipal, type Principal } from './principal';

/** The one database read behind a key: the key row with this hash, or nothing. */
export type ApiKeyLookup = (hash: string) => Promise<{ id: string; orgId: string; role: string; revokedAt: Date | null; expiresAt: Date | null } | null>;

export interface ApiKeyVerifierOptions {
  /** How long a verdict (valid or not) is trusted before the key is looked up again (ms). */
  ttlMs: number;
  /** Most verdicts of each kind kept in memory; the oldest goes first. */
  maxEntries?: number;
}

interface Verdict {
  principal: KeyPrincipal | undefined;
  until: number;
}

/**
 * Turns a presented API key into a principal, with at most one database read per key per TTL:
 * valid keys are cached, invalid ones too (a negative cache, so repeating one bad key costs no
 * query), and concurrent lookups of one key share a single query. Valid and invalid verdicts live
 * in separate maps, so a flood of bad keys cannot push the good ones out.
 * A valid verdict never outlives the key's expiry, and a revocation notice (`invalidate`, from any
 * gateway through Redis) drops it at once; a lookup that was in flight when a notice arrived is
 * not cached, so it cannot bring the revoked key back for a TTL.
 */
export class ApiKeyVerifier {
  private readonly valid = new Map<string, Verdict>();
  private readonly invalid = new Map<string, Verdict>();
  private readonly inflight = new Map<string, Promise<KeyPrincipal | undefined>>();
  private readonly maxEntries: number;
  /** Bumped by every invalidation: a lookup that saw it change does not cache its verdict. */
  private epoch = 0;

  constructor(
    private readonly lookup: ApiKeyLookup,
    private readonly opts: ApiKeyVerifierOptions,
  ) {
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  /** The principal of a key verified recently, without any I/O; undefined when not known to be valid. */
  cached(hash: string, now = Date.now()): KeyPrincipal | undefined {
    const hit = this.valid.get(hash);
    return hit && hit.until > now ? hit.principal : undefined;
  }

  /** Forgets what is known of one key (it was revoked): the next request looks it up. */
  invalidate(hash: string): void {
    this.epoch++;
    this.valid.delete(hash);
  }

  /** Forgets every valid verdict (revocation notices may have been missed, e.g. Redis reconnected). */
  invalidateAll(): void {
    this.epoch++;
    this.valid.clear();
  }

  /**
   * The principal of the key, or undefined when the key is unknown, revoked or expired.
   * `beforeLookup` runs only when this call causes the database read (not for a cached verdict
   * nor when it joins one in flight), and its rejection stops the read: so concurrent requests
   * with one key count once.
   */
  async verify(hash: string, beforeLookup: () => Promise<void> = async () => undefined): Promise<KeyPrincipal | undefined> {
    const now = Date.now();
    const known = this.cached(hash, now);
    if (known) return known;
    const refused = this.invalid.get(hash);
    if (refused && refused.until > now) return undefined;
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = beforeLookup()
        .then(() => this.load(hash))
        .finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    return pending;
  }

  private async load(hash: string): Promise<KeyPrincipal | undefined> {
    const epoch = this.epoch;
    const row = await this.lookup(hash);
    const now = Date.now();
    const live = row && !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > now);
    const principal = live ? { kind: 'key' as const, orgId: row.orgId, keyId: row.id, role: row.role, expiresAt: row.expiresAt } : undefined;
    if (principal && epoch !== this.epoch) return principal;
    const map = principal ? this.valid : this.invalid;
    const until = Math.min(now + this.opts.ttlMs, principal?.expiresAt?.getTime() ?? Infinity);
    map.delete(hash);
    if (map.size >= this.maxEntries) map.delete(map.keys().next().value!);
    map.set(hash, { principal, until });
    return principal;
  }
}
