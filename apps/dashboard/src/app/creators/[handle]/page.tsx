import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { EmptyState } from '../../../components/EmptyState';
import { StatsList } from '../../../components/templates/StatsList';
import { TemplateCard } from '../../../components/templates/TemplateCard';
import { orNotFound, publicApi } from '../../../lib/gallery/public-api';
import { siteUrl } from '../../../lib/gallery/site';

export const dynamic = 'force-dynamic';

type Params = Promise<{ handle: string }>;

/** `/@handle` is rewritten here (next.config.ts): a folder cannot start with @ (parallel routes). */
const handleOf = (raw: string) => decodeURIComponent(raw).replace(/^@/, '');

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const handle = handleOf((await params).handle);
  const p = await orNotFound(() => publicApi().getProfile(handle));
  if (!p) return { title: 'Creator not found' };
  const url = `${await siteUrl()}/@${p.handle}`;
  const description = p.bio || `Weft templates by ${p.name}`;
  return {
    title: `${p.name} (@${p.handle})`,
    description,
    alternates: { canonical: url },
    openGraph: { type: 'profile', siteName: 'Weft', title: `${p.name} · Weft templates`, description, url },
    twitter: { card: 'summary', title: p.name, description },
  };
}

const initials = (name: string) => name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';

/** A creator's public profile (no sign-in): avatar, bio, links, their templates with installs, their numbers. */
export default async function CreatorPage({ params }: { params: Params }) {
  const handle = handleOf((await params).handle);
  const p = await orNotFound(() => publicApi().getProfile(handle));
  if (!p) notFound();
  return (
    <div className="creator" data-testid="creator-page">
      <header className="creator-head">
        {p.avatarUrl ? (
          // An https URL the creator gave (the CSP allows https images).
          <img className="avatar" src={p.avatarUrl} alt="" width={72} height={72} referrerPolicy="no-referrer" />
        ) : (
          <span className="avatar avatar-initials" aria-hidden>{initials(p.name)}</span>
        )}
        <div>
          <h1>{p.name}</h1>
          <p className="muted">@{p.handle} · {p.installs} {p.installs === 1 ? 'install' : 'installs'} of {p.templates.length} {p.templates.length === 1 ? 'template' : 'templates'}</p>
          {p.bio && <p data-testid="creator-bio">{p.bio}</p>}
          {p.links.length > 0 && (
            <ul className="chips" aria-label="Links">
              {p.links.map((l) => (
                <li key={l.url}><a href={l.url} rel="nofollow ugc noopener noreferrer" target="_blank">{l.label}</a></li>
              ))}
            </ul>
          )}
        </div>
      </header>
      <section className="card" aria-labelledby="creator-stats-h">
        <h2 id="creator-stats-h">Numbers</h2>
        <StatsList stats={p.stats} />
      </section>
      {p.templates.length === 0 ? (
        <EmptyState title="No published templates yet">Templates appear here once a moderator publishes them.</EmptyState>
      ) : (
        <ul className="template-grid" data-testid="creator-templates">
          {p.templates.map((t) => (
            <TemplateCard key={t.id} item={t} source="profile" showCreator={false} />
          ))}
        </ul>
      )}
    </div>
  );
}
