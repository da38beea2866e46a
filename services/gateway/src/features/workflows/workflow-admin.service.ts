import { newId, type Db } from '@weft/db';
import type { UpdateWorkflowBody } from '@weft/workflow-schema';
import { principalRef, type Principal } from '../../auth/api-keys';
import { notFound } from '../../errors';
import { auditActor } from '../audit/audit-writer';
import { getWorkflow } from './workflows.service';

/**
 * Rename, describe, tag, enable or disable a workflow (its draft and versions are untouched).
 * Recorded in the audit log with the fields that changed.
 */
export async function updateWorkflow(db: Db, caller: Principal, id: string, body: UpdateWorkflowBody) {
  const data = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.workflow.updateMany({ where: { id, orgId: caller.orgId, deletedAt: null }, data: { ...data, updatedAt: new Date() } });
    if (count === 0) throw notFound('workflow', id);
    await tx.auditLog.create({ data: { id: newId(), ...auditActor(caller), action: 'workflow.updated', targetType: 'workflow', targetId: id, data } });
    return (await tx.workflow.findFirst({ where: { id, orgId: caller.orgId } }))!;
  });
}

/**
 * Deletes (archives) a workflow: it disappears from the API (404), its webhooks answer 410 and its
 * schedules fire nothing. Its versions and runs stay (runs until their retention ends), so a run
 * that is still going finishes, and a run's history still names its version.
 */
export async function deleteWorkflow(db: Db, caller: Principal, id: string) {
  await db.prisma.$transaction(async (tx) => {
    const { count } = await tx.workflow.updateMany({ where: { id, orgId: caller.orgId, deletedAt: null }, data: { deletedAt: new Date(), updatedAt: new Date() } });
    if (count === 0) throw notFound('workflow', id);
    await tx.auditLog.create({ data: { id: newId(), ...auditActor(caller), action: 'workflow.deleted', targetType: 'workflow', targetId: id } });
  });
}

/** A new workflow whose draft is the source's draft (and tags): no versions, no triggers, enabled. */
export async function duplicateWorkflow(db: Db, caller: Principal, id: string, name?: string) {
  const source = await getWorkflow(db, caller.orgId, id);
  return db.prisma.$transaction(async (tx) => {
    const copy = await tx.workflow.create({
      data: {
        id: newId(),
        orgId: caller.orgId,
        createdBy: principalRef(caller),
        name: name ?? `${source.name} (copy)`.slice(0, 200),
        description: source.description,
        draft: source.draft as object,
        tags: source.tags as object,
      },
    });
    await tx.auditLog.create({ data: { id: newId(), ...auditActor(caller), action: 'workflow.duplicated', targetType: 'workflow', targetId: copy.id, data: { from: id } } });
    return copy;
  });
}
