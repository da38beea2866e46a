import { newId } from '@weft/db';
import { withTx, type Queryable } from '@weft/run-store';
import { analyzeTemplate, type CredentialSlot, type SlotDescription } from '@weft/templates';
import type { PublishTemplateBody, TemplateCheckBody, TemplateVersionBody } from '@weft/workflow-schema';
import { principalRef, type Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { secretUseRefusal } from '../workflows/secret-use';
import { getVersion } from '../workflows/workflows.service';
import { ensureOrgProfile } from './profiles.service';
import { getManagedTemplate } from './templates.read';

/**
 * The definition of one of the org's published workflow versions, run through the pre-publish
 * checks: a refusal (credential-looking literal, reference to the org's own workflows, slot the
 * workflow never reads) is a 400 naming the node and path. The definition keeps its
 * `{{ secrets.NAME }}` references: NAME is the slot, never a value.
 */
async function checkedVersion(res: Resources, caller: Principal, workflowVersionId: string, described: Record<string, SlotDescription>, previous: Record<string, SlotDescription> = {}) {
  const wv = await getVersion(res.db, caller.orgId, workflowVersionId);
  const refusal = secretUseRefusal(caller.role, wv.definition);
  if (refusal) throw refusal;
  const analysis = analyzeTemplate(wv.definition, described, previous);
  if (analysis.errors.length) {
    const issues = analysis.errors;
    throw new AppError('invalid_definition', `the template cannot be published: ${issues.map((e) => `${e.nodeId ? `node ${e.nodeId} ` : ''}${e.path}: ${e.message}`).join('; ')}`, issues);
  }
  return { definition: wv.definition, analysis };
}

/**
 * The pre-publish checks of one of the org's workflow versions, nothing stored: what publishing
 * would refuse (`errors`, each naming node and path), warn about, list (slots, domains,
 * integrations). The studio shows it before the creator submits.
 */
export async function checkTemplate(res: Resources, caller: Principal, body: TemplateCheckBody) {
  const wv = await getVersion(res.db, caller.orgId, body.workflowVersionId);
  const refusal = secretUseRefusal(caller.role, wv.definition);
  if (refusal) throw refusal;
  return analyzeTemplate(wv.definition, body.credentials ?? {});
}

async function insertVersion(q: Queryable, caller: Principal, templateId: string, version: number, workflowVersionId: string, definition: unknown, notes: string, a: ReturnType<typeof analyzeTemplate>) {
  const id = newId();
  await q.query(
    `INSERT INTO template_versions (id, org_id, template_id, version, definition, changelog, workflow_version_id, credentials, domains, integrations, warnings, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, caller.orgId, templateId, version, JSON.stringify(definition), notes, workflowVersionId, JSON.stringify(a.credentials), JSON.stringify(a.domains), JSON.stringify(a.integrations), JSON.stringify(a.warnings), principalRef(caller)],
  );
  return id;
}

/** Creates a draft template (version 1) from a published workflow version; the org's profile is created on its first template. */
export async function publishTemplate(res: Resources, caller: Principal, body: PublishTemplateBody) {
  const { definition, analysis } = await checkedVersion(res, caller, body.workflowVersionId, body.credentials ?? {});
  const id = newId();
  await withTx(res.db.pool, async (c) => {
    const profileId = await ensureOrgProfile(c, caller.orgId);
    const inserted = await c.query(
      `INSERT INTO templates (id, org_id, slug, name, summary, readme, tags, category, latest_version, profile_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) ON CONFLICT (slug) DO NOTHING`,
      [id, caller.orgId, body.slug, body.name, body.summary, body.readme ?? '', JSON.stringify(body.tags ?? []), body.category ?? 'general', profileId, principalRef(caller)],
    );
    if (!inserted.rowCount) throw new AppError('conflict', `the slug ${body.slug} is taken`, [{ path: 'body.slug', code: 'already_exists', message: `a template named ${body.slug} exists` }]);
    await insertVersion(c, caller, id, 1, body.workflowVersionId, definition, '', analysis);
  });
  return getManagedTemplate(res, caller.orgId, id);
}

/** Adds the next immutable version; slots not described again keep the previous version's descriptions. */
export async function addTemplateVersion(res: Resources, caller: Principal, templateId: string, body: TemplateVersionBody) {
  const previous = await res.db.pool.query<{ latest_version: number; credentials: CredentialSlot[] }>(
    `SELECT t.latest_version, v.credentials FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version
     WHERE t.id = $1 AND t.org_id = $2`,
    [templateId, caller.orgId],
  );
  if (!previous.rows[0]) throw notFound('template', templateId);
  const carried = Object.fromEntries(previous.rows[0].credentials.map((s) => [s.name, { description: s.description, kind: s.kind }]));
  const { definition, analysis } = await checkedVersion(res, caller, body.workflowVersionId, body.credentials ?? {}, carried);
  await withTx(res.db.pool, async (c) => {
    const locked = await c.query<{ latest_version: number }>('SELECT latest_version FROM templates WHERE id = $1 AND org_id = $2 FOR UPDATE', [templateId, caller.orgId]);
    const version = (locked.rows[0]?.latest_version ?? 0) + 1;
    await insertVersion(c, caller, templateId, version, body.workflowVersionId, definition, body.notes ?? '', analysis);
    await c.query('UPDATE templates SET latest_version = $2, updated_at = now() WHERE id = $1', [templateId, version]);
  });
  return getManagedTemplate(res, caller.orgId, templateId);
}
