import { rows, withTx } from '@weft/run-store';
import type { OrgSettings, UpdateOrgSettingsBody } from '@weft/workflow-schema';
import type { Principal } from '../../auth/principal';
import { notFound } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';

/** The org the request acts in, or 404 (another org's id answers 404 whatever the caller's role there). */
function ownOrg(caller: Principal, orgId: string): void {
  if (orgId !== caller.orgId) throw notFound('org', orgId);
}

export async function getOrgSettings(res: Resources, caller: Principal, orgId: string): Promise<OrgSettings> {
  ownOrg(caller, orgId);
  const [row] = await rows<{ retention_days: number }>(res.db.pool, `SELECT retention_days FROM orgs WHERE id = $1 AND deleted_at IS NULL`, [orgId]);
  if (!row) throw notFound('org', orgId);
  return { orgId, retentionDays: row.retention_days };
}

/** Changes the org's settings; audited as `org.settings_updated` with the old and new values, in the same transaction. */
export async function updateOrgSettings(res: Resources, caller: Principal, orgId: string, body: UpdateOrgSettingsBody): Promise<OrgSettings> {
  ownOrg(caller, orgId);
  return withTx(res.db.pool, async (c) => {
    const [before] = await rows<{ retention_days: number }>(c, `SELECT retention_days FROM orgs WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [orgId]);
    if (!before) throw notFound('org', orgId);
    await c.query(`UPDATE orgs SET retention_days = $2 WHERE id = $1`, [orgId, body.retentionDays]);
    await writeAudit(c, {
      ...auditActor(caller),
      action: 'org.settings_updated',
      targetType: 'org',
      targetId: orgId,
      data: { retentionDays: { from: before.retention_days, to: body.retentionDays } },
    });
    return { orgId, retentionDays: body.retentionDays };
  });
}
