import { newId } from '@weft/db';
import { withTx, type Queryable } from '@weft/run-store';
import { nextStatus } from '@weft/templates';
import { roleCan, type ModerationAction, type ModerationBody, type ModerationQueueQuery } from '@weft/workflow-schema';
import { actorOfPrincipal, type Principal } from '../../auth/api-keys';
import { isPlatformAdmin } from '../../auth/principal';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { getManagedTemplate } from './templates.read';

/**
 * Who moderates: platform admins (signed-in users flagged users.platform_admin, in whatever org
 * and role), and owners (keys or members) of the platform org, named by its slug (WEFT_PLATFORM_ORG).
 */
export class Moderators {
  private platformOrgId: string | undefined;

  constructor(private readonly res: Resources, private readonly platformOrgSlug: string) {}

  /** Whether the caller is a platform moderator (the org id is looked up once it exists). */
  async includes(caller: Principal): Promise<boolean> {
    if (isPlatformAdmin(caller)) return true;
    if (!roleCan(caller.role, 'templates:moderate')) return false;
    this.platformOrgId ??= (await this.res.db.pool.query<{ id: string }>('SELECT id FROM orgs WHERE slug = $1', [this.platformOrgSlug])).rows[0]?.id;
    return this.platformOrgId === caller.orgId;
  }
}

interface Locked {
  status: string;
  org_id: string;
}

async function record(q: Queryable, caller: Principal, t: Locked & { id: string }, submissionId: string, action: ModerationAction, reason: string) {
  await q.query(
    `INSERT INTO moderation_events (id, org_id, template_id, submission_id, action, actor_type, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newId(), t.org_id, t.id, submissionId, action, actorOfPrincipal(caller).type, actorOfPrincipal(caller).id, reason],
  );
}

function transition(status: string, action: ModerationAction) {
  const to = nextStatus(status, action);
  if (!to) throw new AppError('invalid_state', `a ${status} template cannot be ${action === 'submit' ? 'submitted' : `${action}d`}`);
  return to;
}

/** The creator submits the newest version for review: a submission row, status `pending`, an event. */
export async function submitTemplate(res: Resources, caller: Principal, id: string) {
  await withTx(res.db.pool, async (c) => {
    const r = await c.query<Locked & { version_id: string }>(
      `SELECT t.status, t.org_id, v.id AS version_id FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version
       WHERE t.id = $1 AND t.org_id = $2 FOR UPDATE OF t`,
      [id, caller.orgId],
    );
    const t = r.rows[0];
    if (!t) throw notFound('template', id);
    const to = transition(t.status, 'submit');
    const submissionId = newId();
    await c.query('INSERT INTO submissions (id, org_id, template_id, template_version_id, status) VALUES ($1, $2, $3, $4, $5)', [submissionId, t.org_id, id, t.version_id, 'pending']);
    await c.query('UPDATE templates SET status = $2, rejection_reason = NULL, updated_at = now() WHERE id = $1', [id, to]);
    await record(c, caller, { ...t, id }, submissionId, 'submit', '');
  });
  return getManagedTemplate(res, caller.orgId, id);
}

/**
 * A moderator's action on the template's latest submission; every action is a moderation event.
 * `publish` makes the submitted version the public one. A caller who is not a moderator gets 403
 * on its own org's template and 404 on any other (drafts of other orgs stay invisible).
 */
export async function moderateTemplate(res: Resources, moderators: Moderators, caller: Principal, id: string, body: ModerationBody) {
  if (!(await moderators.includes(caller))) {
    const own = await res.db.pool.query('SELECT 1 FROM templates WHERE id = $1 AND org_id = $2', [id, caller.orgId]);
    if (!own.rowCount) throw notFound('template', id);
    throw new AppError('forbidden', 'only moderators of the platform org may approve, reject, publish or unpublish templates');
  }
  await withTx(res.db.pool, async (c) => {
    const r = await c.query<Locked & { submission_id: string | null; submitted_version: number | null }>(
      `SELECT t.status, t.org_id, s.id AS submission_id, v.version AS submitted_version FROM templates t
       LEFT JOIN LATERAL (SELECT id, template_version_id FROM submissions WHERE template_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1) s ON true
       LEFT JOIN template_versions v ON v.id = s.template_version_id
       WHERE t.id = $1 FOR UPDATE OF t`,
      [id],
    );
    const t = r.rows[0];
    if (!t) throw notFound('template', id);
    const to = transition(t.status, body.action);
    // Every status after draft was reached through a submission (submit is the only way out of draft).
    const submissionId = t.submission_id!;
    if (body.action === 'approve' || body.action === 'reject') {
      await c.query('UPDATE submissions SET status = $2, reason = $3, reviewer_id = $4, updated_at = now() WHERE id = $1', [submissionId, to, body.reason ?? null, actorOfPrincipal(caller).id]);
    }
    await c.query(
      `UPDATE templates SET status = $2, updated_at = now(),
         rejection_reason = CASE WHEN $2 = 'rejected' THEN $3 ELSE NULL END,
         public_version = CASE WHEN $2 = 'published' THEN $4::int ELSE public_version END,
         published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END
       WHERE id = $1`,
      [id, to, body.reason ?? null, t.submitted_version],
    );
    await record(c, caller, { ...t, id }, submissionId, body.action, body.reason ?? '');
  });
  return getManagedTemplate(res, null, id);
}

/** The moderators' queue: templates of every org in one status (pending by default), oldest template first (id order). */
export async function moderationQueue(res: Resources, moderators: Moderators, caller: Principal, q: ModerationQueueQuery) {
  if (!(await moderators.includes(caller))) throw new AppError('forbidden', 'only moderators of the platform org see the moderation queue');
  const r = await res.db.pool.query<{ id: string; org_id: string; slug: string; name: string; summary: string; tags: string[]; installs: number; status: string; rejection_reason: string | null; latest_version: number | null; public_version: number | null; updated_at: Date }>(
    `SELECT id, org_id, slug, name, summary, tags, installs, status, rejection_reason, latest_version, public_version, updated_at FROM templates
     WHERE status = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
    [q.status, q.cursor ?? null, q.limit + 1],
  );
  const more = r.rows.length > q.limit;
  const rows = more ? r.rows.slice(0, q.limit) : r.rows;
  return {
    items: rows.map((t) => ({
      id: t.id, orgId: t.org_id, slug: t.slug, name: t.name, summary: t.summary, tags: t.tags, installs: t.installs, status: t.status as never,
      rejectionReason: t.rejection_reason, latestVersion: t.latest_version, publicVersion: t.public_version, updatedAt: t.updated_at.toISOString(),
    })),
    nextCursor: more ? rows[rows.length - 1]!.id : null,
  };
}
