import { newId } from '@weft/db';
import { bindConnections, bindSlots, connectionMappingIssues, connectionUses, mappingIssues, type CredentialSlot } from '@weft/templates';
import type { ConnectionProvider } from '@weft/workflow-schema';
import type { CreateInstallationBody } from '@weft/workflow-schema';
import { actorOfPrincipal, principalRef, type Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { page, validateForOrg } from '../workflows/workflows.service';
import { secretUseRefusal } from '../workflows/secret-use';

interface InstallSource {
  template_id: string;
  name: string;
  summary: string;
  version_id: string;
  definition: unknown;
  credentials: CredentialSlot[];
}

/** The published template's version to install: the public one by default, or an earlier one; anything else is a 404. */
async function installSource(res: Resources, templateId: string, version: number | undefined): Promise<InstallSource> {
  const r = await res.db.pool.query<InstallSource>(
    `SELECT t.id AS template_id, t.name, t.summary, v.id AS version_id, v.definition, v.credentials
     FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = coalesce($2::int, t.public_version)
     WHERE t.id = $1 AND t.status = 'published' AND v.version <= t.public_version`,
    [templateId, version ?? null],
  );
  if (!r.rows[0]) throw version === undefined ? notFound('template', templateId) : notFound(`version ${version} of template`, templateId);
  return r.rows[0];
}

/**
 * The installed definition: each credential slot bound to the caller's secret, each connection
 * slot (a node's `connection`) to the caller's connection of the same provider; a 400 names
 * `body.credentials.SLOT`.
 */
async function boundDefinition(res: Resources, orgId: string, src: InstallSource, mapping: Record<string, string>) {
  const connectionSlots = [...new Map(connectionUses(src.definition).map((u) => [u.name, { name: u.name, provider: u.provider }])).values()];
  const isConnection = (slot: string) => connectionSlots.some((c) => c.name === slot);
  const secretMapping = Object.fromEntries(Object.entries(mapping).filter(([slot]) => !isConnection(slot)));
  const connectionMapping = Object.fromEntries(Object.entries(mapping).filter(([slot]) => isConnection(slot)));
  const existing = await res.db.pool.query<{ name: string }>('SELECT name FROM secrets WHERE org_id = $1 AND deleted_at IS NULL AND name = ANY($2::text[])', [orgId, Object.values(secretMapping)]);
  const names = new Set(existing.rows.map((s) => s.name));
  const conns = await res.db.pool.query<{ name: string; provider: ConnectionProvider }>('SELECT name, provider FROM oauth_connections WHERE org_id = $1 AND name = ANY($2::text[])', [orgId, Object.values(connectionMapping)]);
  const providers = new Map(conns.rows.map((c) => [c.name, c.provider]));
  const secretSlots = src.credentials.map((s) => s.name).filter((n) => !isConnection(n));
  const issues = [...mappingIssues(secretSlots, secretMapping, (n) => names.has(n)), ...connectionMappingIssues(connectionSlots, connectionMapping, (n) => providers.get(n))].map((i) => ({ ...i, path: `body.${i.path}` }));
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  const bound = bindSlots(bindConnections(src.definition, connectionMapping), secretMapping);
  if (bound.issues.length) throw new AppError('invalid_definition', 'the template reads a secret that is not one of its credential slots', bound.issues);
  return bound.definition;
}

/**
 * Installs a published template version into the caller's org: a new workflow whose definition
 * reads the caller's mapped secrets, published as its version 1, pinned by an installation row;
 * the template's install count goes up. All in one transaction. Installing again makes another,
 * independent workflow.
 */
export async function installTemplate(res: Resources, caller: Principal, body: CreateInstallationBody) {
  const src = await installSource(res, body.templateId, body.version);
  const mapping = body.credentials ?? {};
  const definition = await boundDefinition(res, caller.orgId, src, mapping);
  const refusal = secretUseRefusal(caller.role, definition);
  if (refusal) throw refusal;
  const check = await validateForOrg(res.db, caller.orgId, definition);
  if (!check.valid) throw new AppError('invalid_definition', `the template version does not validate here: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, check.errors);
  const by = principalRef(caller);
  const name = body.name ?? src.name;
  return res.db.prisma.$transaction(async (tx) => {
    const workflow = await tx.workflow.create({ data: { id: newId(), orgId: caller.orgId, name, description: src.summary, draft: definition as object, latestVersion: 1, createdBy: by } });
    const version = await tx.workflowVersion.create({ data: { id: newId(), orgId: caller.orgId, workflowId: workflow.id, version: 1, definition: check.normalized as object, publishedBy: by } });
    const installation = await tx.installation.create({
      data: { id: newId(), orgId: caller.orgId, templateId: src.template_id, templateVersionId: src.version_id, workflowId: workflow.id, name, credentials: mapping, source: body.source ?? 'direct', createdBy: by },
    });
    await tx.$executeRaw`UPDATE templates SET installs = installs + 1 WHERE id = ${src.template_id}::uuid`;
    await tx.auditLog.create({
      data: { id: newId(), orgId: caller.orgId, actorType: actorOfPrincipal(caller).type, actorId: actorOfPrincipal(caller).id, action: 'template.installed', targetType: 'workflow', targetId: workflow.id, data: { templateId: src.template_id, templateVersionId: src.version_id, versionId: version.id } },
    });
    return installation;
  });
}

export async function listInstallations(res: Resources, orgId: string, q: { limit: number; cursor?: string | undefined; workflowId?: string | undefined }) {
  const items = await res.db.prisma.installation.findMany({
    where: { orgId, ...(q.cursor ? { id: { lt: q.cursor } } : {}), ...(q.workflowId ? { workflowId: q.workflowId } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

type InstallationRow = Awaited<ReturnType<typeof installTemplate>>;
/** An installation as the API shows it (the mapping holds secret names, never values). */
export const installationView = (i: InstallationRow) => ({
  id: i.id, workflowId: i.workflowId, templateId: i.templateId, templateVersionId: i.templateVersionId, name: i.name, credentials: i.credentials as Record<string, string>, createdAt: i.createdAt.toISOString(),
});
