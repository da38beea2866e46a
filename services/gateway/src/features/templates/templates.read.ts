import type { CredentialSlot } from '@weft/templates';
import type { GalleryItem, GalleryQuery, Issue } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ItemRow {
  id: string;
  slug: string;
  name: string;
  summary: string;
  tags: string[];
  installs: number;
  public_version: number | null;
  handle: string | null;
  display_name: string | null;
  category: string;
  integrations: string[] | null;
  sort_value?: unknown;
}

interface VersionRow {
  id: string;
  version: number;
  changelog: string;
  credentials: CredentialSlot[];
  domains: string[];
  integrations: string[];
  warnings: Issue[];
  created_at: Date;
}

/** The integrations of the public version come with each item (the gallery shows and filters by them). */
const ITEM_COLUMNS = `t.id, t.slug, t.name, t.summary, t.tags, t.installs, t.public_version, t.category, p.handle, p.display_name,
  (SELECT pv.integrations FROM template_versions pv WHERE pv.template_id = t.id AND pv.version = t.public_version) AS integrations`;
const itemView = (r: ItemRow): GalleryItem => ({
  id: r.id, slug: r.slug, name: r.name, summary: r.summary, tags: r.tags, installs: r.installs,
  creator: r.handle ? { handle: r.handle, name: r.display_name ?? r.handle } : null,
  latestVersion: r.public_version,
  category: r.category,
  integrations: r.integrations ?? [],
});
const versionView = (v: VersionRow) => ({
  id: v.id, version: v.version, notes: v.changelog, credentials: v.credentials, domains: v.domains, integrations: v.integrations, createdAt: v.created_at.toISOString(),
});

/** Gallery items selected by `tail` (a WHERE … ORDER BY … clause over templates t). */
export async function galleryItems(res: Resources, tail: string, params: unknown[]): Promise<GalleryItem[]> {
  const r = await res.db.pool.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM templates t LEFT JOIN profiles p ON p.id = t.profile_id ${tail}`, params);
  return r.rows.map(itemView);
}

/** The stored, GIN-indexed tsvector of name, summary, tags and readme (migration 20261211000600_templates). */
const SEARCH = 't.search';
/** The sort key of each order, as SQL, and the type its cursor value is read back as. */
const SORT_KEYS = {
  installs: { expr: 't.installs', cast: 'int' },
  newest: { expr: 't.published_at', cast: 'timestamptz' },
  relevance: { expr: `ts_rank(${SEARCH}, websearch_to_tsquery('english', $1))::float8`, cast: 'float8' },
  // Installs of the last 7 days (index installations(template_id, created_at)).
  trending: { expr: `(SELECT count(*) FROM installations i WHERE i.template_id = t.id AND i.created_at > now() - interval '7 days')::int`, cast: 'int' },
} as const;

const encodeCursor = (value: unknown, id: string) => Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString('base64url');
function decodeCursor(cursor: string): [unknown, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === 'string' && UUID.test(v[1]) && ['number', 'string'].includes(typeof v[0])) return [v[0], v[1]];
  } catch {
    // answered below
  }
  throw new AppError('validation_failed', 'the cursor is not one this list gave', [{ path: 'querystring.cursor', code: 'invalid_cursor', message: 'pass nextCursor from the previous page, unchanged' }]);
}

/**
 * The public gallery: published templates, filtered by full-text search (`q`, websearch syntax,
 * over the GIN-indexed templates.search), tag, category and integration, ordered by installs,
 * trending (installs of the last 7 days), newest or relevance (ts_rank), paged by a keyset cursor over (sort key, id).
 */
export async function listGallery(res: Resources, q: GalleryQuery) {
  const sort = q.sort ?? (q.q ? 'relevance' : 'installs');
  const key = SORT_KEYS[sort === 'relevance' && !q.q ? 'installs' : sort];
  // $1 is the search text whenever there is one (the relevance key reads it).
  const params: unknown[] = q.q ? [q.q] : [];
  const where = ["t.status = 'published'"];
  if (q.q) where.push(`${SEARCH} @@ websearch_to_tsquery('english', $1)`);
  if (q.tag) where.push(`t.tags ? $${params.push(q.tag)}`);
  if (q.category) where.push(`t.category = $${params.push(q.category)}`);
  if (q.integration) {
    where.push(`EXISTS (SELECT 1 FROM template_versions iv WHERE iv.template_id = t.id AND iv.version = t.public_version AND iv.integrations ? $${params.push(q.integration)})`);
  }
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    where.push(`(${key.expr}, t.id) < ($${params.push(value)}::${key.cast}, $${params.push(id)}::uuid)`);
  }
  const r = await res.db.pool.query<ItemRow>(
    `SELECT ${ITEM_COLUMNS}, ${key.expr} AS sort_value FROM templates t LEFT JOIN profiles p ON p.id = t.profile_id
     WHERE ${where.join(' AND ')} ORDER BY ${key.expr} DESC NULLS LAST, t.id DESC LIMIT $${params.push(q.limit + 1)}`,
    params,
  );
  const more = r.rows.length > q.limit;
  const rows = more ? r.rows.slice(0, q.limit) : r.rows;
  const last = rows[rows.length - 1];
  return { items: rows.map(itemView), nextCursor: more && last ? encodeCursor(last.sort_value, last.id) : null };
}

async function versionsOf(res: Resources, templateId: string, upTo: number | null): Promise<Array<VersionRow & { definition: unknown }>> {
  const r = await res.db.pool.query<VersionRow & { definition: unknown }>(
    `SELECT id, version, changelog, credentials, domains, integrations, warnings, created_at, definition FROM template_versions
     WHERE template_id = $1 AND ($2::int IS NULL OR version <= $2) ORDER BY version DESC`,
    [templateId, upTo],
  );
  return r.rows;
}

/** One published template by id or slug, with the versions up to the published one; anything else is a 404. */
export async function getPublicTemplate(res: Resources, idOrSlug: string) {
  const by = UUID.test(idOrSlug) ? 't.id = $1::uuid' : 't.slug = $1';
  const r = await res.db.pool.query<ItemRow & { readme: string; published_at: Date | null }>(
    `SELECT ${ITEM_COLUMNS}, t.readme, t.published_at FROM templates t LEFT JOIN profiles p ON p.id = t.profile_id
     WHERE ${by} AND t.status = 'published'`,
    [idOrSlug],
  );
  const t = r.rows[0];
  if (!t) throw notFound('template', idOrSlug);
  const versions = await versionsOf(res, t.id, t.public_version);
  const current = versions[0];
  return {
    ...itemView(t),
    readme: t.readme,
    category: t.category,
    publishedAt: t.published_at?.toISOString() ?? null,
    domains: current?.domains ?? [],
    integrations: current?.integrations ?? [],
    credentials: current?.credentials ?? [],
    versions: versions.map(versionView),
    definition: current?.definition ?? null,
  };
}

/** A template as its org (or a moderator: `orgId` null) sees it: status and every version with its warnings. */
export async function getManagedTemplate(res: Resources, orgId: string | null, id: string) {
  const r = await res.db.pool.query<ItemRow & { status: string; rejection_reason: string | null; latest_version: number | null }>(
    `SELECT ${ITEM_COLUMNS}, t.status, t.rejection_reason, t.latest_version FROM templates t LEFT JOIN profiles p ON p.id = t.profile_id
     WHERE t.id = $1 AND ($2::uuid IS NULL OR t.org_id = $2)`,
    [id, orgId],
  );
  const t = r.rows[0];
  if (!t) throw notFound('template', id);
  const versions = await versionsOf(res, id, null);
  return {
    id: t.id, slug: t.slug, name: t.name, summary: t.summary, tags: t.tags, installs: t.installs,
    status: t.status as never, rejectionReason: t.rejection_reason, latestVersion: t.latest_version, publicVersion: t.public_version,
    versions: versions.map((v) => ({ ...versionView(v), warnings: v.warnings })),
  };
}

/** A template as a moderator reviews it (any org's): the managed view, the readme and the newest version's definition. */
export async function getReviewTemplate(res: Resources, id: string) {
  const managed = await getManagedTemplate(res, null, id);
  const r = await res.db.pool.query<{ org_id: string; readme: string; category: string; definition: unknown }>(
    `SELECT t.org_id, t.readme, t.category, v.definition FROM templates t LEFT JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version WHERE t.id = $1`,
    [id],
  );
  const t = r.rows[0]!;
  return { ...managed, orgId: t.org_id, readme: t.readme, category: t.category, definition: t.definition ?? null };
}
