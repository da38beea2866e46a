import { randomBytes } from 'node:crypto';
import { newId } from '@weft/db';
import { rows, withTx, type Queryable } from '@weft/run-store';
import type { Pool } from 'pg';
import { writeAudit } from '../audit/audit-writer';

/** Lower-cased and trimmed: the one spelling of an email address used for look-ups. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface SignedInUser {
  id: string;
  /** The user was created by this sign-in (with a personal org). */
  created: boolean;
}

/** What a sign-in knows about the person: a verified email, and their GitHub identity when they came that way. */
export interface Identity {
  email: string;
  name?: string | null;
  githubId?: string;
}

/**
 * The user of a verified identity, created at first sign-in with a personal org where they are
 * owner; pending invitations to that email are accepted (a membership each) at every sign-in.
 * A GitHub identity is matched by its GitHub id first, then by email (and the id is linked).
 * `platformAdmins` (WEFT_PLATFORM_ADMINS) sets the user's platform admin flag when given.
 * One transaction; a concurrent first sign-in of the same email creates one user (unique email).
 */
export async function signInUser(pool: Pool, who: Identity, method: 'magic_link' | 'github', platformAdmins?: ReadonlySet<string>): Promise<SignedInUser> {
  const email = normalizeEmail(who.email);
  return withTx(pool, async (c) => {
    let user = who.githubId ? (await rows<{ id: string }>(c, `SELECT id FROM users WHERE github_id = $1`, [who.githubId]))[0] : undefined;
    let created = false;
    if (!user) {
      const id = newId();
      const inserted = await rows<{ id: string }>(c, `INSERT INTO users (id, email, name, github_id) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id`, [id, email, who.name ?? null, who.githubId ?? null]);
      created = inserted.length === 1;
      user = inserted[0] ?? (await rows<{ id: string }>(c, `SELECT id FROM users WHERE email = $1`, [email]))[0]!;
      if (!created && who.githubId) await c.query(`UPDATE users SET github_id = $2 WHERE id = $1 AND github_id IS NULL`, [user.id, who.githubId]);
    }
    // WEFT_PLATFORM_ADMINS, when set, decides at every sign-in too (a listed email's first sign-in included).
    if (platformAdmins) await c.query(`UPDATE users SET platform_admin = $2 WHERE id = $1 AND platform_admin <> $2`, [user.id, platformAdmins.has(email)]);
    const joined = await acceptInvitations(c, user.id, email);
    if (created && joined.length === 0) await createPersonalOrg(c, user.id, email);
    await c.query(
      `INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
       SELECT $1::uuid, m.org_id, 'user', $2::text, 'user.signed_in', 'user', $2::text, $3::jsonb FROM memberships m WHERE m.user_id = $2::uuid
       ORDER BY m.created_at LIMIT 1`,
      [newId(), user.id, JSON.stringify({ method })],
    );
    return { id: user.id, created };
  });
}

/** Turns the pending invitations to `email` into memberships (an existing membership keeps its role); returns the orgs joined. */
async function acceptInvitations(c: Queryable, userId: string, email: string): Promise<string[]> {
  const invited = await rows<{ id: string; org_id: string; role: string }>(
    c,
    `UPDATE invitations SET accepted_at = now()
      WHERE email = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      RETURNING id, org_id, role`,
    [email],
  );
  const joined: string[] = [];
  for (const inv of invited) {
    const r = await c.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, user_id) DO NOTHING`, [newId(), inv.org_id, userId, inv.role]);
    if (r.rowCount) joined.push(inv.org_id);
    await writeAudit(c, { orgId: inv.org_id, actorType: 'user', actorId: userId, action: 'invitation.accepted', targetType: 'invitation', targetId: inv.id, data: { role: inv.role } });
  }
  return joined;
}

/** An org named after the email, with the user as its owner. */
export async function createPersonalOrg(c: Queryable, userId: string, email: string): Promise<string> {
  const local = email.split('@')[0] ?? 'me';
  return createOrg(c, userId, `${local}'s org`, slugFrom(local));
}

/** A new org with `userId` as its owner; the slug gets a random suffix when taken. */
export async function createOrg(c: Queryable, userId: string, name: string, slug: string): Promise<string> {
  const id = newId();
  const free = await rows<{ id: string }>(c, `INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING id`, [id, slug, name]);
  if (!free.length) await c.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $3)`, [id, `${slug}-${randomBytes(3).toString('hex')}`, name]);
  await c.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, 'owner')`, [newId(), id, userId]);
  await writeAudit(c, { orgId: id, actorType: 'user', actorId: userId, action: 'org.created', targetType: 'org', targetId: id, data: { name } });
  return id;
}

/** A URL-safe slug: lower-case letters, digits and dashes, 2–40 characters. */
export function slugFrom(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return s.length >= 2 ? s : `org-${s}`;
}
