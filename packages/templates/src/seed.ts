import { isDeepStrictEqual } from 'node:util';
import { newId } from '@weft/db';
import { analyzeTemplate } from './analyze';
import { STARTER_TEMPLATES, type StarterTemplate } from './starters';

/** What the seed needs of a pg Pool (a connection that is not under row-level security: the platform's owner). */
export interface SeedPool {
  connect(): Promise<SeedClient>;
}
interface SeedClient {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  release(): void;
}

/** The org and creator profile the starters are published under. */
export const WEFT_CREATOR = { orgSlug: 'weft', handle: 'weft', name: 'Weft', bio: 'Starter templates from the Weft project: each one runs as installed, with an end-to-end test.' };

export interface SeedResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Slugs another org already uses: left alone. */
  skipped: string[];
}

async function creator(c: SeedClient): Promise<{ orgId: string; profileId: string }> {
  await c.query('INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING', [newId(), WEFT_CREATOR.orgSlug, WEFT_CREATOR.name]);
  const orgId = (await c.query<{ id: string }>('SELECT id FROM orgs WHERE slug = $1', [WEFT_CREATOR.orgSlug])).rows[0]!.id;
  await c.query('INSERT INTO profiles (id, org_id, handle, display_name, bio) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (handle) DO NOTHING', [newId(), orgId, WEFT_CREATOR.handle, WEFT_CREATOR.name, WEFT_CREATOR.bio]);
  const profile = (await c.query<{ id: string; org_id: string }>('SELECT id, org_id FROM profiles WHERE handle = $1', [WEFT_CREATOR.handle])).rows[0]!;
  if (profile.org_id !== orgId) throw new Error(`the creator handle ${WEFT_CREATOR.handle} belongs to another org`);
  return { orgId, profileId: profile.id };
}

const listing = (s: StarterTemplate) => ({ name: s.name, summary: s.summary, readme: s.readme, tags: s.tags, category: s.category });

async function insertVersion(c: SeedClient, orgId: string, templateId: string, version: number, s: StarterTemplate, notes: string) {
  const a = analyzeTemplate(s.definition, s.credentials);
  if (a.errors.length) throw new Error(`starter ${s.slug} fails the pre-publish checks: ${a.errors.map((e) => `${e.nodeId ?? ''} ${e.path}: ${e.message}`).join('; ')}`);
  const id = newId();
  await c.query(
    `INSERT INTO template_versions (id, org_id, template_id, version, definition, changelog, credentials, domains, integrations, warnings, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'seed:starters')`,
    [id, orgId, templateId, version, JSON.stringify(s.definition), notes, JSON.stringify(a.credentials), JSON.stringify(a.domains), JSON.stringify(a.integrations), JSON.stringify(a.warnings)],
  );
  // The moderation trail of a platform-published version: an approved submission, approved and published.
  const submission = newId();
  await c.query(`INSERT INTO submissions (id, org_id, template_id, template_version_id, status) VALUES ($1, $2, $3, $4, 'approved')`, [submission, orgId, templateId, id]);
  for (const action of ['submit', 'approve', 'publish']) {
    await c.query(`INSERT INTO moderation_events (id, org_id, template_id, submission_id, action, reason) VALUES ($1, $2, $3, $4, $5, 'seeded starter')`, [newId(), orgId, templateId, submission, action]);
  }
}

/**
 * Publishes the starter templates as approved, public templates of the "Weft" creator (org and
 * profile `weft`, made when missing). Idempotent: a starter whose slug exists keeps its row;
 * when its definition or listing changed, the definition becomes a new public version (so
 * installations of the previous one are offered the upgrade). One transaction, under an
 * advisory lock, so two starts at once seed once.
 */
export async function seedStarterTemplates(pool: SeedPool, starters: readonly StarterTemplate[] = STARTER_TEMPLATES): Promise<SeedResult> {
  const c = await pool.connect();
  const result: SeedResult = { created: [], updated: [], unchanged: [], skipped: [] };
  try {
    await c.query('BEGIN');
    await c.query("SELECT pg_advisory_xact_lock(hashtext('weft.seed-starters'))");
    const { orgId, profileId } = await creator(c);
    for (const s of starters) {
      const found = await c.query<{ id: string; org_id: string; latest_version: number; definition: unknown; name: string; summary: string; readme: string; tags: string[]; category: string }>(
        `SELECT t.id, t.org_id, t.latest_version, v.definition, t.name, t.summary, t.readme, t.tags, t.category
         FROM templates t LEFT JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version WHERE t.slug = $1`,
        [s.slug],
      );
      const t = found.rows[0];
      if (!t) {
        const id = newId();
        await c.query(
          `INSERT INTO templates (id, org_id, slug, name, summary, readme, tags, category, visibility, status, latest_version, public_version, profile_id, published_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'public', 'published', 1, 1, $9, now(), 'seed:starters')`,
          [id, orgId, s.slug, s.name, s.summary, s.readme, JSON.stringify(s.tags), s.category, profileId],
        );
        await insertVersion(c, orgId, id, 1, s, 'First version.');
        result.created.push(s.slug);
        continue;
      }
      if (t.org_id !== orgId) {
        result.skipped.push(s.slug);
        continue;
      }
      const sameDefinition = isDeepStrictEqual(t.definition, s.definition);
      const sameListing = isDeepStrictEqual(listing({ ...s, ...t } as StarterTemplate), listing(s));
      if (sameDefinition && sameListing) {
        result.unchanged.push(s.slug);
        continue;
      }
      let version = t.latest_version;
      if (!sameDefinition) {
        version += 1;
        await insertVersion(c, orgId, t.id, version, s, 'Updated starter.');
      }
      await c.query(
        `UPDATE templates SET name = $2, summary = $3, readme = $4, tags = $5, category = $6, latest_version = $7, public_version = $7, status = 'published', updated_at = now() WHERE id = $1`,
        [t.id, s.name, s.summary, s.readme, JSON.stringify(s.tags), s.category, version],
      );
      result.updated.push(s.slug);
    }
    await c.query('COMMIT');
    return result;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
