import { newId, type Db, type Prisma } from '@weft/db';
import { compile } from '@weft/engine';
import type { CreateWorkflowBody, Issue, ListWorkflowsQuery } from '@weft/workflow-schema';
import { principalRef, type Principal } from '../../auth/api-keys';
import { auditActor } from '../audit/audit-writer';
import { AppError, notFound } from '../../errors';
import { checkErrorWorkflowRef } from './error-workflow-ref';
import { checkInputSchema, triggerSchemas } from './input-schema';
import { secretUseRefusal } from './secret-use';
import { checkSubWorkflowRefs } from './sub-workflow-refs';

const EMPTY_DRAFT = { nodes: [{ id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } }], edges: [] };

export async function createWorkflow(db: Db, caller: Principal, body: CreateWorkflowBody) {
  return db.prisma.workflow.create({
    data: {
      id: newId(),
      orgId: caller.orgId,
      createdBy: principalRef(caller),
      name: body.name,
      description: body.description ?? '',
      draft: (body.definition ?? EMPTY_DRAFT) as object,
      tags: body.tags ?? [],
    },
  });
}

/** The org's workflow (a deleted one is not found). */
export async function getWorkflow(db: Db, orgId: string, id: string) {
  const w = await db.prisma.workflow.findFirst({ where: { id, orgId, deletedAt: null } });
  if (!w) throw notFound('workflow', id);
  return w;
}

/** A keyset page of the org's workflows, newest first, narrowed by name text, tag and state. */
export async function listWorkflows(db: Db, orgId: string, q: ListWorkflowsQuery) {
  const items = await db.prisma.workflow.findMany({
    where: {
      orgId,
      deletedAt: null,
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
      ...(q.q ? { name: { contains: q.q, mode: 'insensitive' as const } } : {}),
      ...(q.tag ? { tags: { array_contains: [q.tag] } } : {}),
      ...(q.enabled !== undefined ? { enabled: q.enabled } : {}),
    },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

export async function saveDraft(db: Db, orgId: string, id: string, definition: Record<string, unknown>) {
  const { count } = await db.prisma.workflow.updateMany({ where: { id, orgId, deletedAt: null }, data: { draft: definition as object, updatedAt: new Date() } });
  if (count === 0) throw notFound('workflow', id);
  return { workflow: await getWorkflow(db, orgId, id), problems: (await validateForOrg(db, orgId, definition)).errors };
}

/**
 * Full validation (publish, validate, draft problems): the engine's compile plus the checks that
 * need the gateway: every trigger's input schema, for_each bodies' included, compiles and uses
 * only regular expressions the linear-time engine runs.
 */
export function validateDefinition(definition: unknown): { valid: boolean; errors: Issue[]; normalized?: unknown } {
  const r = compile(definition);
  if (!r.ok) return { valid: false, errors: r.errors };
  const errors = triggerSchemas(r.graph.definition).flatMap(checkInputSchema);
  return errors.length ? { valid: false, errors } : { valid: true, errors, normalized: r.graph.definition };
}

/** validateDefinition plus the checks that read the org's data: sub_workflow targets and the error workflow must be its workflows. */
export async function validateForOrg(db: Db, orgId: string, definition: unknown): Promise<{ valid: boolean; errors: Issue[]; normalized?: unknown }> {
  const check = validateDefinition(definition);
  const refs = [...(await checkSubWorkflowRefs(db, orgId, definition)), ...(await checkErrorWorkflowRef(db, orgId, definition))];
  return refs.length ? { valid: false, errors: [...check.errors, ...refs] } : check;
}

/**
 * How long the publish transaction may hold the workflow's row lock: Prisma's 5 s default is too
 * short for the writes of a definition of tens of MB on a busy machine (a 100,000-node definition
 * is ~20 MB; the body limit, WEFT_MAX_BODY_BYTES, bounds it), so the limit grows with the size:
 * 10 s plus 2 s per MiB of JSON. Past it Prisma rolls back and the caller gets a 503 (error-handler.ts).
 */
export const publishTimeoutMs = (definitionChars: number) => 10_000 + 2_000 * Math.ceil(definitionChars / 1_048_576);

/**
 * Publishes an immutable version; numbers are allocated under the workflow's row lock. A
 * definition that reads secrets needs `secrets:use` (see secret-use.ts). Recorded in the audit log.
 * Everything that reads the definition (validation, normalisation, compilation, the org's
 * references) runs before the transaction, which holds only the writes.
 */
export async function publishVersion(db: Db, caller: Principal, workflowId: string, definition?: Record<string, unknown>) {
  const orgId = caller.orgId;
  const workflow = await getWorkflow(db, orgId, workflowId);
  const def = definition ?? (workflow.draft as Record<string, unknown>);
  const refusal = secretUseRefusal(caller.role, def);
  if (refusal) throw refusal;
  const check = await validateForOrg(db, orgId, def);
  if (!check.valid) {
    throw new AppError('invalid_definition', `the definition has ${check.errors.length} problem(s): ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, check.errors);
  }
  const normalized = check.normalized as Prisma.InputJsonObject;
  const timeout = publishTimeoutMs(JSON.stringify(normalized).length);
  const created = await db.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ latest_version: number | null }[]>`
      SELECT latest_version FROM workflows WHERE id = ${workflowId}::uuid AND org_id = ${orgId}::uuid AND deleted_at IS NULL FOR UPDATE`;
    if (!locked[0]) throw notFound('workflow', workflowId);
    const version = (locked[0].latest_version ?? 0) + 1;
    // The definition is not read back: the answer carries the one just written.
    const row = await tx.workflowVersion.create({
      data: { id: newId(), orgId, workflowId, version, definition: normalized, publishedBy: principalRef(caller) },
      omit: { definition: true },
    });
    await tx.workflow.update({ where: { id: workflowId }, data: { latestVersion: version, updatedAt: new Date() } });
    await tx.auditLog.create({
      data: { id: newId(), ...auditActor(caller), action: 'workflow.version_published', targetType: 'workflow', targetId: workflowId, data: { versionId: row.id, version, name: workflow.name } },
    });
    return row;
  }, { timeout, maxWait: 10_000 });
  return { ...created, definition: normalized as Prisma.JsonValue };
}

export async function listVersions(db: Db, orgId: string, workflowId: string, limit: number, cursor?: string) {
  await getWorkflow(db, orgId, workflowId);
  const items = await db.prisma.workflowVersion.findMany({
    where: { orgId, workflowId, version: { not: null }, ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  return page(items, limit);
}

export async function getVersion(db: Db, orgId: string, id: string) {
  const v = await db.prisma.workflowVersion.findFirst({ where: { id, orgId, version: { not: null } } });
  if (!v) throw notFound('workflow version', id);
  return v;
}

/** Cursor page: fetch limit+1 to know whether there is a next page. */
export function page<T extends { id: string }>(items: T[], limit: number) {
  const more = items.length > limit;
  const slice = more ? items.slice(0, limit) : items;
  return { items: slice, nextCursor: more ? slice[slice.length - 1]!.id : null };
}
