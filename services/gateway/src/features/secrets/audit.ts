import { newId } from '@weft/db';
import type { Queryable } from '@weft/run-store';

export interface AuditEntry {
  orgId: string;
  /** Who acted: `api_key` (with the key's id), `run` (with the run's id)… */
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** Names and ids only: never a secret's value. */
  data?: Record<string, unknown>;
}

/** Appends one row to `audit_logs` (inside the caller's transaction when given one). */
export async function writeAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newId(), e.orgId, e.actorType, e.actorId, e.action, e.targetType, e.targetId, e.data ? JSON.stringify(e.data) : null],
  );
}
