import { publishOutbox, requestCancelOfOrg, rows, withTx } from '@weft/run-store';
import type { DeleteOrgBody, OrgDeletion } from '@weft/workflow-schema';
import { actorOfPrincipal, type Principal } from '../../auth/principal';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';

export interface OrgDeletionDeps {
  /** Tells every gateway to drop the revoked keys from its cache (KeyRevocations.revoked). */
  revokeKeys(hashes: readonly string[]): Promise<void>;
  /** The bootstrap org (WEFT_BOOTSTRAP_API_KEY's): never deleted, scripts and the platform rely on it. */
  bootstrapOrgId?: string;
}

/**
 * Deletes the caller's org (owner only: the route needs `org:delete`), confirmed by its slug.
 * In ONE transaction: the org is marked deleted; its API keys are revoked, its memberships and
 * pending invitations removed (so no key and no session can act in it from the commit on); its
 * schedules and webhooks are switched off; its secrets are deleted and their encrypted values
 * destroyed; each live run is asked to cancel; `org.deleted` is audited. Workflows, versions,
 * runs and the audit log are kept (invisible: nobody can act in the org any more) until a purge
 * job removes them (planned). After commit, every gateway drops the revoked keys from its cache
 * and the cancel jobs are published.
 */
export async function deleteOrg(res: Resources, deps: OrgDeletionDeps, caller: Principal, orgId: string, body: DeleteOrgBody): Promise<OrgDeletion> {
  // Another org's id (or one already deleted) answers 404, whatever the caller's role there.
  if (orgId !== caller.orgId) throw notFound('org', orgId);
  if (orgId === deps.bootstrapOrgId) throw new AppError('conflict', 'the bootstrap org (the one of WEFT_BOOTSTRAP_API_KEY) cannot be deleted');
  const done = await withTx(res.db.pool, async (c) => {
    const [org] = await rows<{ slug: string }>(c, `SELECT slug FROM orgs WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [orgId]);
    if (!org) throw notFound('org', orgId);
    if (body.confirm !== org.slug) {
      const message = `type the org's slug "${org.slug}" to confirm its deletion`;
      throw new AppError('validation_failed', message, [{ path: 'body.confirm', code: 'confirmation_mismatch', message }]);
    }
    const [marked] = await rows<{ deleted_at: Date }>(c, `UPDATE orgs SET deleted_at = now() WHERE id = $1 RETURNING deleted_at`, [orgId]);
    const keys = await rows<{ hash: string }>(c, `UPDATE api_keys SET revoked_at = now() WHERE org_id = $1 AND revoked_at IS NULL RETURNING hash`, [orgId]);
    const members = await c.query(`DELETE FROM memberships WHERE org_id = $1`, [orgId]);
    await c.query(`UPDATE invitations SET revoked_at = now() WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL`, [orgId]);
    await c.query(`UPDATE schedules SET enabled = false, updated_at = now() WHERE org_id = $1`, [orgId]);
    await c.query(`UPDATE webhooks SET enabled = false, updated_at = now() WHERE org_id = $1`, [orgId]);
    const secrets = await c.query(`UPDATE secrets SET deleted_at = now(), updated_at = now() WHERE org_id = $1 AND deleted_at IS NULL`, [orgId]);
    await c.query(`DELETE FROM secret_versions WHERE org_id = $1`, [orgId]);
    const cancels = await requestCancelOfOrg(c, orgId, actorOfPrincipal(caller));
    const result: OrgDeletion = {
      id: orgId,
      slug: org.slug,
      deletedAt: marked!.deleted_at.toISOString(),
      keysRevoked: keys.length,
      membersRemoved: members.rowCount ?? 0,
      runsCancelled: cancels.runs,
      secretsDestroyed: secrets.rowCount ?? 0,
    };
    const { id: _id, ...data } = result;
    await writeAudit(c, { ...auditActor(caller), action: 'org.deleted', targetType: 'org', targetId: orgId, data });
    return { result, hashes: keys.map((k) => k.hash), cancels };
  });
  await deps.revokeKeys(done.hashes);
  if (done.cancels.jobs.length) await publishOutbox(res.db.pool, res.queues, done.cancels.ids, done.cancels.jobs, res.logger);
  return done.result;
}
