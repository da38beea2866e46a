import { createHash, randomBytes } from 'node:crypto';
import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import { rows } from '@weft/run-store';
import type { Pool } from 'pg';
import type { SessionPrincipal } from './principal';

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionTimes {
  /** A session unused this long ends (ms). */
  idleMs: number;
  /** A session ends this long after sign-in, however active (ms). */
  absoluteMs: number;
  /** The clock (tests pass their own to cross the expiries without waiting). */
  now: () => Date;
}

/** Why a session request is refused, as the access check words it. */
export type SessionVerdict =
  | { ok: true; principal: SessionPrincipal }
  | { ok: false; reason: 'unknown' | 'expired' | 'no_org' | 'not_member' };

/**
 * Server-side sessions: the browser holds an opaque random token (32 bytes), Postgres its SHA-256
 * with the user, the sign-in time, the last use and the absolute expiry. A request costs one read
 * (session, user's membership in the requested org); the last use is written at most once a minute.
 * The role is read from the membership on every request, so a role change or a removal takes
 * effect at once, and revoking (sign-out, sign-out everywhere) is a row update.
 */
export class SessionStore {
  constructor(
    private readonly pool: Pool,
    private readonly times: SessionTimes,
    private readonly logger: Logger,
  ) {}

  /** Starts a session for a user; revokes `previousToken` (the one this browser held: rotation at sign-in). */
  async create(userId: string, previousToken?: string): Promise<{ token: string; id: string; expiresAt: Date }> {
    if (previousToken) await this.revoke(previousToken);
    const token = randomBytes(32).toString('base64url');
    const now = this.times.now();
    const expiresAt = new Date(now.getTime() + this.times.absoluteMs);
    const id = newId();
    await this.pool.query(
      `INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
      [id, userId, hashSessionToken(token), now, expiresAt],
    );
    return { token, id, expiresAt };
  }

  /**
   * The principal of a session token acting in `org` (an org id or slug; absent: the user's first
   * org by membership age), or why not.
   */
  async authenticate(token: string, org: string | undefined): Promise<SessionVerdict> {
    const [row] = await rows<{ id: string; user_id: string; last_seen_at: Date; expires_at: Date; org_id: string | null; role: string | null; has_org: boolean; platform_admin: boolean }>(
      this.pool,
      `SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, m.org_id, m.role, u.platform_admin,
              EXISTS (SELECT 1 FROM memberships WHERE user_id = s.user_id) AS has_org
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN LATERAL (
           SELECT m.org_id, m.role FROM memberships m JOIN orgs o ON o.id = m.org_id
            WHERE m.user_id = s.user_id AND ($2::text IS NULL OR o.id::text = $2 OR o.slug = $2)
            ORDER BY m.created_at, m.id LIMIT 1
         ) m ON true
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL`,
      [hashSessionToken(token), org ?? null],
    );
    if (!row) return { ok: false, reason: 'unknown' };
    const now = this.times.now().getTime();
    if (now >= row.expires_at.getTime() || now - row.last_seen_at.getTime() >= this.times.idleMs) return { ok: false, reason: 'expired' };
    if (!row.org_id || !row.role) return { ok: false, reason: !row.has_org ? 'no_org' : 'not_member' };
    await this.touch(row.id, row.last_seen_at.getTime(), now);
    return { ok: true, principal: { kind: 'session', sessionId: row.id, userId: row.user_id, orgId: row.org_id, role: row.role, platformAdmin: row.platform_admin, expiresAt: null } };
  }

  /** Ends the session of this token (sign-out); nothing happens for an unknown token. */
  async revoke(token: string): Promise<void> {
    await this.pool.query(`UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [hashSessionToken(token), this.times.now()]);
  }

  /** Ends every session of a user (sign out everywhere); returns how many were live. */
  async revokeAll(userId: string): Promise<number> {
    const r = await this.pool.query(`UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, this.times.now()]);
    return r.rowCount ?? 0;
  }

  /**
   * Moves the idle expiry on, at most once a minute (or a tenth of the idle time, if shorter).
   * Awaited (it is rare) so that the next request sees it; a failed write costs an earlier expiry, never this request.
   */
  private async touch(id: string, lastSeen: number, now: number): Promise<void> {
    if (now - lastSeen < Math.min(60_000, this.times.idleMs / 10)) return;
    await this.pool
      .query(`UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [id, new Date(now)])
      .catch((err: unknown) => this.logger.warn({ err }, 'could not record when a session was last used'));
  }
}
