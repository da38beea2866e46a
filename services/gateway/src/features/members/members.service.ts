import { rows, withTx, type Queryable } from '@weft/run-store';
import { roleCovers, type Member, type Role } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import type { Principal, SessionPrincipal } from '../../auth/principal';
import { AppError, notFound } from '../../errors';
import { auditActor, writeAudit } from '../audit/audit-writer';
import { createOrg, slugFrom } from '../auth/users.service';

/** The org's members, oldest first. */
export async function listMembers(pool: Pool, orgId: string): Promise<Member[]> {
  const found = await rows<{ user_id: string; email: string; name: string | null; role: Role; created_at: Date }>(
    pool,
    `SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 ORDER BY m.created_at, m.id`,
    [orgId],
  );
  return found.map((m) => ({ userId: m.user_id, email: m.email, name: m.name, role: m.role, joinedAt: m.created_at.toISOString() }));
}

/** Only a session can do this (an org, a membership of one's own): a key gets a 400 saying so. */
export function sessionOnly(p: Principal, what: string): SessionPrincipal {
  if (p.kind !== 'session') throw new AppError('validation_failed', `${what} is for a signed-in user, not an API key`);
  return p;
}

/**
 * The target's membership, locked with every owner row of the org, so that two concurrent changes
 * cannot both take the last owner away. 404 for a user who is not a member of the caller's org.
 */
async function lockMembership(c: Queryable, orgId: string, userId: string) {
  const owners = await rows<{ user_id: string }>(c, `SELECT user_id FROM memberships WHERE org_id = $1 AND role = 'owner' FOR UPDATE`, [orgId]);
  const [m] = await rows<{ role: Role }>(c, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2 FOR UPDATE`, [orgId, userId]);
  if (!m) throw notFound('member', userId);
  return { role: m.role, owners: owners.length };
}

const lastOwner = () => new AppError('conflict', 'the last owner of an org cannot leave it or lose the owner role: make another member owner first');

/** Changes a member's role: the caller must hold every right of both the old and the new role; the last owner stays owner. */
export async function changeRole(pool: Pool, caller: Principal, userId: string, role: Role): Promise<Member> {
  await withTx(pool, async (c) => {
    const m = await lockMembership(c, caller.orgId, userId);
    if (!roleCovers(caller.role, m.role) || !roleCovers(caller.role, role)) {
      throw new AppError('forbidden', `the role "${caller.role}" cannot change a member from "${m.role}" to "${role}": nobody grants more rights than they hold`);
    }
    if (m.role === 'owner' && role !== 'owner' && m.owners <= 1) throw lastOwner();
    await c.query(`UPDATE memberships SET role = $3 WHERE org_id = $1 AND user_id = $2`, [caller.orgId, userId, role]);
    await writeAudit(c, { ...auditActor(caller), action: 'member.role_changed', targetType: 'user', targetId: userId, data: { from: m.role, to: role } });
  });
  return (await listMembers(pool, caller.orgId)).find((x) => x.userId === userId)!;
}

/** Removes a member (or, with `userId` = the caller's own, leaves the org); the last owner cannot go. */
export async function removeMember(pool: Pool, caller: Principal, userId: string): Promise<void> {
  const self = caller.kind === 'session' && caller.userId === userId;
  await withTx(pool, async (c) => {
    const m = await lockMembership(c, caller.orgId, userId);
    if (!self && !roleCovers(caller.role, m.role)) throw new AppError('forbidden', `the role "${caller.role}" cannot remove a member whose role is "${m.role}"`);
    if (m.role === 'owner' && m.owners <= 1) throw lastOwner();
    await c.query(`DELETE FROM memberships WHERE org_id = $1 AND user_id = $2`, [caller.orgId, userId]);
    await writeAudit(c, { ...auditActor(caller), action: self ? 'member.left' : 'member.removed', targetType: 'user', targetId: userId, data: { role: m.role } });
  });
}

/** A new org whose owner is the signed-in caller. */
export async function createOrgFor(pool: Pool, caller: SessionPrincipal, name: string, slug?: string) {
  const id = await withTx(pool, (c) => createOrg(c, caller.userId, name, slug ?? slugFrom(name)));
  const [org] = await rows<{ id: string; slug: string; name: string }>(pool, `SELECT id, slug, name FROM orgs WHERE id = $1`, [id]);
  return { ...org!, role: 'owner' as const };
}

