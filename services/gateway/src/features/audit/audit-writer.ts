import { newId } from '@weft/db';
import type { Queryable } from '@weft/run-store';
import { actorOfPrincipal, type Principal } from '../../auth/principal';

/** One row of the append-only `audit_logs` table. */
export interface AuditRecord {
  orgId: string;
  /** Who acted: `api_key` (with the key's id) or `user` (a signed-in session), or `system`. */
  actorType: string;
  actorId: string | null;
  /** `<target>.<past tense>`: `api_key.created`, `secret.updated`, `run.cancel_requested`… */
  action: string;
  targetType: string;
  targetId: string | null;
  /** Names and ids only: never a secret's value nor a key. */
  data?: Record<string, unknown>;
}

/** The actor columns of an audit row for the caller. */
export const auditActor = (p: Principal) => {
  const a = actorOfPrincipal(p);
  return { orgId: p.orgId, actorType: a.type, actorId: a.id };
};

/** Appends one row to `audit_logs` (inside the caller's transaction when given one). */
export async function writeAudit(q: Queryable, e: AuditRecord): Promise<void> {
  await q.query(
    `INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newId(), e.orgId, e.actorType, e.actorId, e.action, e.targetType, e.targetId, e.data ? JSON.stringify(e.data) : null],
  );
}
