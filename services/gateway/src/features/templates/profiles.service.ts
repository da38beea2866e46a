import { newId } from '@weft/db';
import { randomBytes } from 'node:crypto';
import { withTx, type Queryable } from '@weft/run-store';
import type { TemplateStats, UpdateProfileBody } from '@weft/workflow-schema';
import type { Principal } from '../../auth/api-keys';
import { notFound } from '../../errors';
import type { Resources } from '../../resources';
import { templateStats } from './analytics.service';
import { galleryItems } from './templates.read';

/** A handle from an org slug: lowercase letters, digits and dashes, at most 40 characters. */
const handleOf = (slug: string) => slug.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'creator';

/**
 * The org's creator profile (one per org until user sign-in exists), created on its first
 * template: handle from the org slug, with a random suffix when another profile has it. Takes an
 * org-scoped advisory lock, so two first publishes of one org make one profile.
 */
export async function ensureOrgProfile(q: Queryable, orgId: string): Promise<string> {
  await q.query("SELECT pg_advisory_xact_lock(hashtext('weft.profile:' || $1))", [orgId]);
  const found = await q.query<{ id: string }>('SELECT id FROM profiles WHERE org_id = $1 AND user_id IS NULL LIMIT 1', [orgId]);
  if (found.rows[0]) return found.rows[0].id;
  const org = await q.query<{ slug: string; name: string }>('SELECT slug, name FROM orgs WHERE id = $1', [orgId]);
  const base = handleOf(org.rows[0]?.slug ?? 'creator');
  for (let attempt = 0; ; attempt++) {
    const handle = attempt === 0 ? base : `${base.slice(0, 33)}-${randomBytes(3).toString('hex')}`;
    const id = newId();
    const r = await q.query('INSERT INTO profiles (id, org_id, handle, display_name) VALUES ($1, $2, $3, $4) ON CONFLICT (handle) DO NOTHING', [id, orgId, handle, org.rows[0]?.name ?? handle]);
    if (r.rowCount) return id;
  }
}

/** The sum of several templates' numbers (a creator's totals). */
function totals(all: TemplateStats[]): TemplateStats {
  const t: TemplateStats = { views: 0, installs: 0, runs: 0, succeeded: 0, failed: 0, successRate: null, sources: [] };
  for (const s of all) {
    t.views += s.views;
    t.installs += s.installs;
    t.runs += s.runs;
    t.succeeded += s.succeeded;
    t.failed += s.failed;
    for (const src of s.sources) {
      const row = t.sources.find((x) => x.source === src.source);
      if (!row) {
        t.sources.push({ ...src });
        continue;
      }
      row.views += src.views;
      row.installs += src.installs;
    }
  }
  t.successRate = t.succeeded + t.failed ? t.succeeded / (t.succeeded + t.failed) : null;
  t.sources.sort((a, b) => b.views + b.installs - (a.views + a.installs) || a.source.localeCompare(b.source));
  return t;
}

interface ProfileRow {
  id: string;
  handle: string;
  display_name: string;
  bio: string;
  avatar_url: string;
  links: Array<{ label: string; url: string }>;
}

/** A public creator profile with their published templates, most installed first, and their numbers. */
export async function getProfile(res: Resources, handle: string) {
  const p = await res.db.pool.query<ProfileRow>('SELECT id, handle, display_name, bio, avatar_url, links FROM profiles WHERE handle = $1', [handle]);
  const profile = p.rows[0];
  if (!profile) throw notFound('profile', handle);
  const templates = await galleryItems(res, 'WHERE t.status = $1 AND t.profile_id = $2 ORDER BY t.installs DESC, t.id DESC LIMIT 200', ['published', profile.id]);
  const stats = await templateStats(res, templates.map((t) => t.id));
  return {
    handle: profile.handle,
    name: profile.display_name,
    bio: profile.bio,
    avatarUrl: profile.avatar_url,
    links: profile.links,
    installs: templates.reduce((n, t) => n + t.installs, 0),
    templates,
    stats: totals([...stats.values()]),
  };
}

/** Edits the caller org's creator profile (made first when the org has none yet); fields left out stay. */
export async function updateOrgProfile(res: Resources, caller: Principal, body: UpdateProfileBody) {
  const handle = await withTx(res.db.pool, async (c) => {
    const id = await ensureOrgProfile(c, caller.orgId);
    const r = await c.query<{ handle: string }>(
      `UPDATE profiles SET display_name = coalesce($2, display_name), bio = coalesce($3, bio), avatar_url = coalesce($4, avatar_url), links = coalesce($5::jsonb, links)
       WHERE id = $1 AND org_id = $6 RETURNING handle`,
      [id, body.name ?? null, body.bio ?? null, body.avatarUrl ?? null, body.links ? JSON.stringify(body.links) : null, caller.orgId],
    );
    return r.rows[0]!.handle;
  });
  return getProfile(res, handle);
}
