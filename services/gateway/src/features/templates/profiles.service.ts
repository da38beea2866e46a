import { newId } from '@weft/db';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '@weft/run-store';
import { notFound } from '../../errors';
import type { Resources } from '../../resources';
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

/** A public creator profile with their published templates, most installed first. */
export async function getProfile(res: Resources, handle: string) {
  const p = await res.db.pool.query<{ id: string; handle: string; display_name: string; bio: string }>('SELECT id, handle, display_name, bio FROM profiles WHERE handle = $1', [handle]);
  const profile = p.rows[0];
  if (!profile) throw notFound('profile', handle);
  const templates = await galleryItems(res, 'WHERE t.status = $1 AND t.profile_id = $2 ORDER BY t.installs DESC, t.id DESC LIMIT 200', ['published', profile.id]);
  return {
    handle: profile.handle,
    name: profile.display_name,
    bio: profile.bio,
    installs: templates.reduce((n, t) => n + t.installs, 0),
    templates,
  };
}
