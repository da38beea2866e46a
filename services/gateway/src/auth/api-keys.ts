import { createHash, randomBytes } from 'node:crypto';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new API key: `weft_` + 32 random bytes, base64url. Only its SHA-256 is stored. */
export const generateApiKey = () => `weft_${randomBytes(32).toString('base64url')}`;

/** Who is calling: today an API key of one org, with the role stored on the key. */
export interface Principal {
  orgId: string;
  keyId: string;
  role: string;
}

/** The one database read behind a key: the key row with this hash, or nothing. */
export type ApiKeyLookup = (hash: string) => Promise<{ id: string; orgId: string; role: string; revokedAt: Date | null } | null>;

export interface ApiKeyVerifierOptions {
  /** How long a verdict (valid or not) is trusted before the key is looked up again (ms). */
  ttlMs: number;
  /** Most verdicts of each kind kept in memory; the oldest goes first. */
  maxEntries?: number;
}

interface Verdict {
  principal: Principal | undefined;
  until: number;
}

/**
 * Turns a presented API key into a principal, with at most one database read per key per TTL:
 * valid keys are cached (so revocation takes effect within the TTL, as before), invalid ones too
 * (a negative cache, so repeating one bad key costs no query), and concurrent lookups of one key
 * share a single query. Valid and invalid verdicts live in separate maps, so a flood of bad keys
 * cannot push the good ones out.
 */
export class ApiKeyVerifier {
  private readonly valid = new Map<string, Verdict>();
  private readonly invalid = new Map<string, Verdict>();
  private readonly inflight = new Map<string, Promise<Principal | undefined>>();
  private readonly maxEntries: number;

  constructor(
    private readonly lookup: ApiKeyLookup,
    private readonly opts: ApiKeyVerifierOptions,
  ) {
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  /** The principal of a key verified recently, without any I/O; undefined when not known to be valid. */
  cached(hash: string, now = Date.now()): Principal | undefined {
    const hit = this.valid.get(hash);
    return hit && hit.until > now ? hit.principal : undefined;
  }

  /**
   * The principal of the key, or undefined when the key is unknown or revoked. `beforeLookup` runs
   * only when this call causes the database read (not for a cached verdict nor when it joins one in
   * flight), and its rejection stops the read: so concurrent requests with one key count once.
   */
  async verify(hash: string, beforeLookup: () => Promise<void> = async () => undefined): Promise<Principal | undefined> {
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

  private async load(hash: string): Promise<Principal | undefined> {
    const row = await this.lookup(hash);
    const principal = row && !row.revokedAt ? { orgId: row.orgId, keyId: row.id, role: row.role } : undefined;
    const map = principal ? this.valid : this.invalid;
    map.delete(hash);
    if (map.size >= this.maxEntries) map.delete(map.keys().next().value!);
    map.set(hash, { principal, until: Date.now() + this.opts.ttlMs });
    return principal;
  }
}
