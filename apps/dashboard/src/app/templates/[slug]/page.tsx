import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '../../../components/PageHeader';
import { InstallButton } from '../../../components/templates/InstallButton';
import { Readme } from '../../../components/templates/Readme';
import { ShareLink } from '../../../components/templates/ShareLink';
import { StatsList } from '../../../components/templates/StatsList';
import { TemplateGraph } from '../../../components/templates/TemplateGraph';
import { ViewBeacon } from '../../../components/templates/ViewBeacon';
import { integrationTitle } from '../../../lib/gallery/integrations';
import { orNotFound, publicApi } from '../../../lib/gallery/public-api';
import { siteUrl } from '../../../lib/gallery/site';

export const dynamic = 'force-dynamic';

type Params = Promise<{ slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const t = await orNotFound(() => publicApi().getTemplate(slug));
  if (!t) return { title: 'Template not found' };
  const url = `${await siteUrl()}/templates/${t.slug}`;
  return {
    title: t.name,
    description: t.summary,
    alternates: { canonical: url },
    openGraph: { type: 'website', siteName: 'Weft', title: `${t.name} · Weft template`, description: t.summary, url },
    twitter: { card: 'summary', title: t.name, description: t.summary },
  };
}

/** A public template page (no sign-in): graph preview, readme, what it needs and calls, versions, numbers, install. */
export default async function TemplatePage({ params }: { params: Params }) {
  const { slug } = await params;
  const api = publicApi();
  const t = await orNotFound(() => api.getTemplate(slug));
  if (!t) notFound();
  const stats = await api.templateStats(t.id);
  const url = `${await siteUrl()}/templates/${t.slug}`;
  return (
    <article className="template-page" data-testid="template-page">
      <ViewBeacon slug={t.slug} />
      <PageHeader
        title={t.name}
        sub={
          <>
            {t.summary}
            <br />
            {t.creator && (
              <>
                by <Link href={`/@${t.creator.handle}`} data-testid="creator-link">{t.creator.name}</Link> ·{' '}
              </>
            )}
            <span data-testid="template-installs">{t.installs} {t.installs === 1 ? 'install' : 'installs'}</span> · version {t.latestVersion} · {t.category}
          </>
        }
      >
        <InstallButton template={{ id: t.id, slug: t.slug, name: t.name, credentials: t.credentials }} />
      </PageHeader>
      <div className="template-grid-2">
        <div className="template-main">
          <section className="card" aria-labelledby="graph-h">
            <h2 id="graph-h">Workflow</h2>
            <TemplateGraph definition={t.definition} />
          </section>
          <section className="card" aria-labelledby="readme-h">
            <h2 id="readme-h">Readme</h2>
            <Readme markdown={t.readme} />
          </section>
        </div>
        <aside className="template-side">
          <section className="card" aria-labelledby="creds-h" data-testid="template-credentials">
            <h2 id="creds-h">Credentials it needs</h2>
            {t.credentials.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <ul className="plain-list">
                {t.credentials.map((c) => (
                  <li key={c.name}>
                    <code>{c.name}</code> <span className="badge">{c.kind}</span>
                    <br />
                    <span className="muted small">{c.description || 'No description.'}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="domains-h" data-testid="template-domains">
            <h2 id="domains-h">Domains it calls</h2>
            {t.domains.length === 0 ? <p className="muted">None listed.</p> : (
              <ul className="plain-list">{t.domains.map((d) => <li key={d}><code>{d}</code></li>)}</ul>
            )}
            {t.integrations.length > 0 && (
              <p className="small">
                Integrations:{' '}
                {t.integrations.map((i, n) => (
                  <span key={i}>{n > 0 && ', '}<Link href={`/templates?integration=${i}`}>{integrationTitle(i)}</Link></span>
                ))}
              </p>
            )}
          </section>
          <section className="card" aria-labelledby="stats-h">
            <h2 id="stats-h">Numbers</h2>
            <StatsList stats={stats} />
          </section>
          <section className="card" aria-labelledby="versions-h" data-testid="template-versions">
            <h2 id="versions-h">Versions</h2>
            <ol className="plain-list">
              {t.versions.map((v) => (
                <li key={v.id}>
                  <strong>v{v.version}</strong> <span className="muted small">{new Date(v.createdAt).toISOString().slice(0, 10)}</span>
                  {v.notes && <p className="small version-notes">{v.notes}</p>}
                </li>
              ))}
            </ol>
          </section>
          <section className="card" aria-labelledby="share-h">
            <h2 id="share-h">Share</h2>
            <ShareLink url={`${url}?ref=share`} />
          </section>
        </aside>
      </div>
    </article>
  );
}
