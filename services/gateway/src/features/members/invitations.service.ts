import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import { rows, withTx } from '@weft/run-store';
import { roleCovers, type CreateInvitationBody, type InvitationView, type MyInvitation, type Role } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import { principalRef, type Principal } from '../../auth/principal';
import { AppError, notFound } from '../../errors';
import { auditActor, writeAudit } from '../audit/audit-writer';
import type { Mailer } from '../auth/mailer';
import { normalizeEmail } from '../auth/users.service';

/** How long an invitation can be accepted (ms). */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

interface InvitationRow { id: string; email: string; role: Role; created_at: Date; expires_at: Date }
const view = (r: InvitationRow): InvitationView => ({ id: r.id, email: r.email, role: r.role, createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString() });

/**
 * Invites an email into the caller's org with a role the caller holds every right of. The person
 * joins when they sign in with that email (a first sign-in joins instead of creating a personal
 * org), or at once with POST /v1/invitations/:id/accept when already signed in. The message says
 * where to sign in; it carries no credential.
 */
export async function createInvitation(pool: Pool, deps: { mailer?: Mailer; appUrl: string; logger: Logger }, caller: Principal, body: CreateInvitationBody): Promise<InvitationView> {
  if (!roleCovers(caller.role, body.role)) throw new AppError('forbidden', `the role "${caller.role}" cannot invite as "${body.role}": nobody grants more rights than they hold`);
  const email = normalizeEmail(body.email);
  const { row, orgName } = await withTx(pool, async (c) => {
    const member = await rows(c, `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND u.email = $2`, [caller.orgId, email]);
    if (member.length) throw new AppError('conflict', `${email} is already a member of this org`);
    // A new invitation replaces a pending one to the same email.
    await c.query(`UPDATE invitations SET revoked_at = now() WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL`, [caller.orgId, email]);
    const [created] = await rows<InvitationRow>(
      c,
      `INSERT INTO invitations (id, org_id, email, role, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')
       RETURNING id, email, role, created_at, expires_at`,
      [newId(), caller.orgId, email, body.role, principalRef(caller), INVITATION_TTL_MS],
    );
    await writeAudit(c, { ...auditActor(caller), action: 'invitation.created', targetType: 'invitation', targetId: created!.id, data: { email, role: body.role } });
    const [org] = await rows<{ name: string }>(c, `SELECT name FROM orgs WHERE id = $1`, [caller.orgId]);
    return { row: created!, orgName: org!.name };
  });
  await deps.mailer
    ?.send({ to: email, subject: `You are invited to ${orgName} on Weft`, text: `You are invited to join ${orgName} on Weft as ${body.role}.\n\nSign in with this email address to accept:\n\n${deps.appUrl}/sign-in\n` })
    .catch((err: unknown) => deps.logger.warn({ err }, 'could not send an invitation message (the invitation stands)'));
  return view(row);
}

/** The org's pending invitations, newest first. */
export async function listInvitations(pool: Pool, orgId: string): Promise<InvitationView[]> {
  const found = await rows<InvitationRow>(
    pool,
    `SELECT id, email, role, created_at, expires_at FROM invitations WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() ORDER BY id DESC LIMIT 200`,
    [orgId],
  );
  return found.map(view);
}

/** The pending invitations addressed to the signed-in user's email, with the org each opens (accepted with POST /v1/invitations/:id/accept). */
export async function listMyInvitations(pool: Pool, userId: string): Promise<MyInvitation[]> {
  const found = await rows<InvitationRow & { org_id: string; org_slug: string; org_name: string }>(
    pool,
    `SELECT i.id, i.email, i.role, i.created_at, i.expires_at, o.id AS org_id, o.slug AS org_slug, o.name AS org_name
       FROM invitations i JOIN users u ON u.email = i.email JOIN orgs o ON o.id = i.org_id
      WHERE u.id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND o.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = i.org_id AND m.user_id = u.id)
      ORDER BY i.id DESC LIMIT 200`,
    [userId],
  );
  return found.map((r) => ({ ...view(r), org: { id: r.org_id, slug: r.org_slug, name: r.org_name } }));
}

/** Withdraws a pending invitation of the caller's org (404 for another org's or one already used). */
export async function revokeInvitation(pool: Pool, caller: Principal, id: string): Promise<void> {
  await withTx(pool, async (c) => {
    const r = await c.query(`UPDATE invitations SET revoked_at = now() WHERE id = $1 AND org_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`, [id, caller.orgId]);
    if (!r.rowCount) throw notFound('invitation', id);
    await writeAudit(c, { ...auditActor(caller), action: 'invitation.revoked', targetType: 'invitation', targetId: id });
  });
}

/** Accepts an invitation addressed to the signed-in caller's email (404 for anyone else's: nobody learns it exists). */
export async function acceptInvitation(pool: Pool, caller: Principal, id: string): Promise<{ orgId: string; role: Role }> {
  if (caller.kind !== 'session') throw notFound('invitation', id);
  return withTx(pool, async (c) => {
    const [inv] = await rows<{ org_id: string; role: Role }>(
      c,
      `UPDATE invitations i SET accepted_at = now() FROM users u
        WHERE i.id = $1 AND u.id = $2 AND i.email = u.email AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
        RETURNING i.org_id, i.role`,
      [id, caller.userId],
    );
    if (!inv) throw notFound('invitation', id);
    await c.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, user_id) DO NOTHING`, [newId(), inv.org_id, caller.userId, inv.role]);
    await writeAudit(c, { orgId: inv.org_id, actorType: 'user', actorId: caller.userId, action: 'invitation.accepted', targetType: 'invitation', targetId: id, data: { role: inv.role } });
    return { orgId: inv.org_id, role: inv.role };
  });
}
