import { installedRunCounts } from '@weft/run-store';
import type { TemplateStats } from '@weft/workflow-schema';
import { notFound } from '../../errors';
import type { Resources } from '../../resources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Counts one view of a published template's page, per day and referral source. Nothing about the
 * visitor is stored: no address, no user, no org; only the counter moves.
 */
export async function recordView(res: Resources, idOrSlug: string, source: string): Promise<void> {
  const by = UUID.test(idOrSlug) ? 'id = $1::uuid' : 'slug = $1';
  const r = await res.db.pool.query(
    `INSERT INTO template_views (template_id, day, source, views)
     SELECT id, current_date, $2, 1 FROM templates WHERE ${by} AND status = 'published'
     ON CONFLICT (template_id, day, source) DO UPDATE SET views = template_views.views + 1`,
    [idOrSlug, source],
  );
  if (!r.rowCount) throw notFound('template', idOrSlug);
}

/** The numbers of each template: views and installs by source, runs of the installed copies and their success rate. */
export async function templateStats(res: Resources, templateIds: string[]): Promise<Map<string, TemplateStats>> {
  const out = new Map<string, TemplateStats>();
  if (!templateIds.length) return out;
  const [views, installs, runs] = await Promise.all([
    res.db.pool.query<{ template_id: string; source: string; n: number }>('SELECT template_id, source, sum(views)::int AS n FROM template_views WHERE template_id = ANY($1::uuid[]) GROUP BY 1, 2', [templateIds]),
    res.db.pool.query<{ template_id: string; source: string; n: number }>(
      "SELECT template_id, coalesce(nullif(source, ''), 'direct') AS source, count(*)::int AS n FROM installations WHERE template_id = ANY($1::uuid[]) GROUP BY 1, 2",
      [templateIds],
    ),
    installedRunCounts(res.db.pool, templateIds),
  ]);
  for (const id of templateIds) out.set(id, { views: 0, installs: 0, runs: 0, succeeded: 0, failed: 0, successRate: null, sources: [] });
  const source = (s: TemplateStats, name: string) => {
    let row = s.sources.find((x) => x.source === name);
    if (!row) s.sources.push((row = { source: name, views: 0, installs: 0 }));
    return row;
  };
  for (const v of views.rows) {
    const s = out.get(v.template_id)!;
    s.views += v.n;
    source(s, v.source).views += v.n;
  }
  for (const i of installs.rows) {
    const s = out.get(i.template_id)!;
    s.installs += i.n;
    source(s, i.source).installs += i.n;
  }
  for (const r of runs) {
    const s = out.get(r.templateId)!;
    Object.assign(s, { runs: r.runs, succeeded: r.succeeded, failed: r.failed, successRate: r.succeeded + r.failed ? r.succeeded / (r.succeeded + r.failed) : null });
  }
  for (const s of out.values()) s.sources.sort((a, b) => b.views + b.installs - (a.views + a.installs) || a.source.localeCompare(b.source));
  return out;
}

/** The public numbers of one published template (by id or slug). */
export async function publicTemplateStats(res: Resources, idOrSlug: string): Promise<TemplateStats> {
  const by = UUID.test(idOrSlug) ? 'id = $1::uuid' : 'slug = $1';
  const r = await res.db.pool.query<{ id: string }>(`SELECT id FROM templates WHERE ${by} AND status = 'published'`, [idOrSlug]);
  const id = r.rows[0]?.id;
  if (!id) throw notFound('template', idOrSlug);
  return (await templateStats(res, [id])).get(id)!;
}
