import { rows, type Queryable } from '@weft/run-store';
import type { AuditEntry, AuditLogQuery } from '@weft/workflow-schema';

interface AuditRow {
  id: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string;
  target_id: string | null;
  data: Record<string, unknown> | null;
  created_at: Date;
}

/** A cursor page of the org's audit log, newest first (ids are UUIDv7), with the query's filters. */
export async function listAuditLogs(q: Queryable, orgId: string, query: AuditLogQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const found = await rows<AuditRow>(
    q,
    `SELECT id, action, actor_type, actor_id, target_type, target_id, data, created_at FROM audit_logs
     WHERE org_id = $1 AND ($2::uuid IS NULL OR id < $2) AND ($3::text IS NULL OR action = $3)
       AND ($4::text IS NULL OR actor_id = $4)
       AND ($5::timestamptz IS NULL OR created_at >= $5) AND ($6::timestamptz IS NULL OR created_at < $6)
     ORDER BY id DESC LIMIT $7`,
    [orgId, query.cursor ?? null, query.action ?? null, query.actor ?? null, query.from ?? null, query.to ?? null, query.limit + 1],
  );
  const more = found.length > query.limit;
  const page = more ? found.slice(0, query.limit) : found;
  return { items: page.map(auditView), nextCursor: more ? page[page.length - 1]!.id : null };
}

const auditView = (r: AuditRow): AuditEntry => ({
  id: r.id,
  action: r.action,
  actor: { type: r.actor_type, id: r.actor_id },
  target: { type: r.target_type, id: r.target_id },
  at: r.created_at.toISOString(),
  data: r.data ?? {},
});
