import { bindSlots, mappingIssues, type CredentialSlot } from '@weft/templates';
import { diffWorkflows, mergeWorkflows } from '@weft/workflow-diff';
import type { InstallationDetail, UpgradeInstallationBody } from '@weft/workflow-schema';
import { newId } from '@weft/db';
import { auditActor } from '../audit/audit-writer';
import type { Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { getWorkflow, publishVersion } from '../workflows/workflows.service';
import { installationView } from './installations.service';

interface Pinned {
  template_slug: string;
  template_name: string;
  pinned_version: number;
  pinned_definition: unknown;
  public_version: number | null;
  status: string;
}

interface Target {
  id: string;
  version: number;
  definition: unknown;
  changelog: string;
  credentials: CredentialSlot[];
}

/** The caller org's installation, with its pinned template version (the template may belong to another org). */
async function loadInstallation(res: Resources, orgId: string, id: string) {
  const installation = await res.db.prisma.installation.findFirst({ where: { id, orgId } });
  if (!installation) throw notFound('installation', id);
  const r = await res.db.pool.query<Pinned>(
    `SELECT t.slug AS template_slug, t.name AS template_name, v.version AS pinned_version, v.definition AS pinned_definition, t.public_version, t.status
     FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE v.id = $1`,
    [installation.templateVersionId],
  );
  return { installation, pinned: r.rows[0]! };
}

/** The version to upgrade to: `version` or the public one; only a published, newer version. */
async function targetVersion(res: Resources, templateId: string, p: Pinned, version: number | undefined): Promise<Target | null> {
  if (p.status !== 'published' || p.public_version === null) return null;
  const want = version ?? p.public_version;
  if (want <= p.pinned_version || want > p.public_version) return null;
  const r = await res.db.pool.query<Target>('SELECT id, version, definition, changelog, credentials FROM template_versions WHERE template_id = $1 AND version = $2', [templateId, want]);
  return r.rows[0] ?? null;
}

/**
 * The three-way merge of an upgrade: base = the pinned template version, theirs = the new one,
 * both read through the installer's credential mapping (plus `extra` for slots the new version
 * adds); ours = the workflow's current draft (the user's edits).
 */
async function mergeFor(res: Resources, orgId: string, installation: { workflowId: string; credentials: unknown }, p: Pinned, target: Target, extra: Record<string, string>, resolutions: Record<string, 'ours' | 'theirs'> = {}) {
  const mapping = { ...(installation.credentials as Record<string, string>), ...extra };
  const slots = target.credentials.map((s) => s.name);
  const base = bindSlots(p.pinned_definition, mapping).definition;
  const theirs = bindSlots(target.definition, Object.fromEntries(Object.entries(mapping).filter(([slot]) => slots.includes(slot)))).definition;
  const workflow = await getWorkflow(res.db, orgId, installation.workflowId);
  const merge = mergeWorkflows(base, workflow.draft, theirs, resolutions);
  const newCredentials = slots.filter((s) => !Object.hasOwn(mapping, s));
  return { mapping, slots, merge, newCredentials };
}

/** An installation with its upgrade: the newest public version when newer than the pinned one, its diff and the merge's conflicts. */
export async function getInstallation(res: Resources, caller: Principal, id: string): Promise<InstallationDetail> {
  const { installation, pinned } = await loadInstallation(res, caller.orgId, id);
  const target = await targetVersion(res, installation.templateId, pinned, undefined);
  let upgrade: InstallationDetail['upgrade'] = null;
  if (target) {
    const { merge, newCredentials } = await mergeFor(res, caller.orgId, installation, pinned, target, {});
    upgrade = { version: target.version, templateVersionId: target.id, notes: target.changelog, diff: diffWorkflows(pinned.pinned_definition, target.definition), conflicts: merge.conflicts, newCredentials };
  }
  return { ...installationView(installation), templateSlug: pinned.template_slug, templateName: pinned.template_name, version: pinned.pinned_version, upgrade };
}

/**
 * Upgrades an installation to a newer template version: the merged definition becomes the
 * workflow's draft and its next published version, the installation is pinned to the new
 * version with the mapping kept (and any new slot's mapping added). Unresolved conflicts are a
 * 409 listing each path; a new slot left unmapped is a 400 naming `body.credentials.SLOT`.
 */
export async function upgradeInstallation(res: Resources, caller: Principal, id: string, body: UpgradeInstallationBody) {
  const { installation, pinned } = await loadInstallation(res, caller.orgId, id);
  const target = await targetVersion(res, installation.templateId, pinned, body.version);
  if (!target) {
    throw body.version === undefined
      ? new AppError('invalid_state', `the installation is pinned to version ${pinned.pinned_version}, the newest public version`)
      : notFound(`a newer public version ${body.version} of template`, installation.templateId);
  }
  const { mapping, slots, merge } = await mergeFor(res, caller.orgId, installation, pinned, target, body.credentials ?? {}, body.resolutions ?? {});
  const kept = Object.fromEntries(Object.entries(mapping).filter(([slot]) => slots.includes(slot)));
  const existing = await res.db.pool.query<{ name: string }>('SELECT name FROM secrets WHERE org_id = $1 AND deleted_at IS NULL AND name = ANY($2::text[])', [caller.orgId, Object.values(kept)]);
  const names = new Set(existing.rows.map((s) => s.name));
  const issues = mappingIssues(slots, kept, (n) => names.has(n)).map((i) => ({ ...i, path: `body.${i.path}` }));
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  if (merge.conflicts.length) {
    const errors = merge.conflicts.map((c) => ({ path: c.path, code: 'upgrade_conflict', message: `both your workflow and version ${target.version} changed ${c.path}: resolve it with "ours" or "theirs" in body.resolutions`, ...(c.nodeId ? { nodeId: c.nodeId } : {}) }));
    throw new AppError('conflict', `${merge.conflicts.length} conflict(s) between your edits and version ${target.version}: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
  const version = await publishVersion(res.db, caller, installation.workflowId, merge.merged);
  await res.db.prisma.$transaction(async (tx) => {
    await tx.workflow.update({ where: { id: installation.workflowId }, data: { draft: merge.merged as object } });
    await tx.installation.update({ where: { id: installation.id }, data: { templateVersionId: target.id, credentials: kept } });
    await tx.auditLog.create({
      data: { id: newId(), ...auditActor(caller), action: 'template.upgraded', targetType: 'workflow', targetId: installation.workflowId, data: { installationId: installation.id, from: pinned.pinned_version, to: target.version, versionId: version.id, resolved: merge.resolved } },
    });
  });
  return getInstallation(res, caller, id);
}
