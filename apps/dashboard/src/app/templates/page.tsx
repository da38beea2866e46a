import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ModerationLink } from '../../components/templates/ModerationLink';
import { TemplateCard } from '../../components/templates/TemplateCard';
import { INTEGRATIONS, integrationTitle } from '../../lib/gallery/integrations';
import { publicApi } from '../../lib/gallery/public-api';
import { galleryHref, galleryParams, type GalleryParams } from '../../lib/gallery/query';
import { siteUrl } from '../../lib/gallery/site';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

const DESCRIPTION = 'Ready-made Weft workflows: search, filter by integration, install into your workspace in a minute.';

export async function generateMetadata({ searchParams }: { searchParams: Search }): Promise<Metadata> {
  const site = await siteUrl();
  const { cursor: _page, ...filters } = galleryParams(await searchParams);
  const url = `${site}${galleryHref(filters)}`;
  return {
    title: filters.q ? `Templates matching “${filters.q}”` : 'Templates',
    description: DESCRIPTION,
    alternates: { canonical: url },
    openGraph: { type: 'website', siteName: 'Weft', title: 'Weft templates', description: DESCRIPTION, url },
    twitter: { card: 'summary', title: 'Weft templates', description: DESCRIPTION },
  };
}

const SORTS = [
  { value: 'installs', label: 'Most installed' },
  { value: 'trending', label: 'Trending (7 days)' },
  { value: 'newest', label: 'Newest' },
  { value: 'relevance', label: 'Best match' },
] as const;

/** A filter in force, with the link that drops it. */
function ActiveFilter({ params, name, label }: { params: GalleryParams; name: 'tag' | 'category' | 'integration'; label: string }) {
  const { [name]: _dropped, cursor: _c, ...rest } = params;
  return (
    <li>
      <Link className="badge badge-accent" href={galleryHref(rest)} aria-label={`Remove the filter ${label}`} data-testid={`filter-${name}`}>
        {label} ✕
      </Link>
    </li>
  );
}

/** The public gallery (no sign-in): full-text search, filters, sorts and cursor pages, all in the URL, rendered on the server. */
export default async function TemplatesPage({ searchParams }: { searchParams: Search }) {
  const params = galleryParams(await searchParams);
  const page = await publicApi().listTemplates({ ...params, limit: 24 });
  const { cursor: _page, ...filters } = params;
  return (
    <>
      <PageHeader title="Templates" sub="Workflows made by the community: install one, map your credentials, run it.">
        <ModerationLink />
      </PageHeader>
      <form className="gallery-search" action="/templates" method="get" role="search">
        <label className="field grow">
          <span className="sr-only">Search templates</span>
          <input className="input" type="search" name="q" defaultValue={params.q ?? ''} placeholder="Search: slack alert, invoice, summary…" data-testid="gallery-q" />
        </label>
        <label className="field">
          <span className="sr-only">Integration</span>
          <select className="input" name="integration" defaultValue={params.integration ?? ''} data-testid="gallery-integration">
            <option value="">Any integration</option>
            {INTEGRATIONS.map((i) => (
              <option key={i.type} value={i.type}>{i.title}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="sr-only">Sort</span>
          <select className="input" name="sort" defaultValue={params.sort ?? (params.q ? 'relevance' : 'installs')} data-testid="gallery-sort">
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>{s.label}</option>
            ))}
          </select>
        </label>
        {params.tag && <input type="hidden" name="tag" value={params.tag} />}
        {params.category && <input type="hidden" name="category" value={params.category} />}
        <button type="submit" className="btn btn-primary" data-testid="gallery-submit">Search</button>
      </form>
      {(params.tag || params.category || params.integration) && (
        <ul className="chips" aria-label="Filters">
          {params.tag && <ActiveFilter params={params} name="tag" label={`#${params.tag}`} />}
          {params.category && <ActiveFilter params={params} name="category" label={`Category: ${params.category}`} />}
          {params.integration && <ActiveFilter params={params} name="integration" label={integrationTitle(params.integration)} />}
        </ul>
      )}
      {page.items.length === 0 ? (
        <EmptyState title="No template matches" testId="gallery-empty">
          Try other words, or <Link href="/templates">see every template</Link>.
        </EmptyState>
      ) : (
        <ul className="template-grid" data-testid="gallery">
          {page.items.map((item) => (
            <TemplateCard key={item.id} item={item} source={params.q ? 'search' : 'gallery'} />
          ))}
        </ul>
      )}
      <nav className="more" aria-label="Pages">
        {params.cursor && <Link className="btn" href={galleryHref(filters)}>First page</Link>}
        {page.nextCursor && <Link className="btn" href={galleryHref({ ...filters, cursor: page.nextCursor })} data-testid="next-page">Next page</Link>}
      </nav>
    </>
  );
}
