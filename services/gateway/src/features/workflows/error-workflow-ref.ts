import type { Db } from '@weft/db';
import type { Issue } from '@weft/workflow-schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The issue of a `settings.errorWorkflowId` that is not a workflow of the org (a workflow of
 * another org is "not found", like one that never existed). It reads the raw JSON, so a draft that
 * does not compile still has it checked; a value that is not a UUID is left to the schema's issue.
 */
export async function checkErrorWorkflowRef(db: Db, orgId: string, definition: unknown): Promise<Issue[]> {
  const id = (definition as { settings?: { errorWorkflowId?: unknown } } | null)?.settings?.errorWorkflowId;
  if (typeof id !== 'string' || !UUID.test(id)) return [];
  const { rowCount } = await db.pool.query('SELECT 1 FROM workflows WHERE org_id = $1 AND id = $2', [orgId, id.toLowerCase()]);
  if (rowCount) return [];
  return [{ path: 'settings.errorWorkflowId', code: 'workflow_not_found', message: `error workflow ${id} is not a workflow of this org` }];
}
