import type { GalleryItem } from '@weft/workflow-schema';
import { Download } from 'lucide-react';
import Link from 'next/link';
import { integrationTitle } from '../../lib/gallery/integrations';

/** One template in a list: name (to its page, tagged with where the visitor came from), summary, creator, installs, tags. */
export function TemplateCard({ item, source, showCreator = true }: { item: GalleryItem; source: string; showCreator?: boolean }) {
  return (
    <li className="card template-card" data-testid="template-card">
      <h2>
        <Link href={`/templates/${item.slug}?ref=${source}`}>{item.name}</Link>
      </h2>
      <p className="template-summary">{item.summary}</p>
      <p className="muted small template-meta">
        <span title="Installs" data-testid="installs">
          <Download size={12} aria-hidden /> {item.installs} {item.installs === 1 ? 'install' : 'installs'}
        </span>
        {showCreator && item.creator && (
          <>
            {' · by '}
            <Link href={`/@${item.creator.handle}`}>{item.creator.name}</Link>
          </>
        )}
        {item.latestVersion !== null && <> · v{item.latestVersion}</>}
      </p>
      <ul className="chips" aria-label="Tags and integrations">
        {item.integrations.map((i) => (
          <li key={`i-${i}`}>
            <Link className="badge badge-info" href={`/templates?integration=${i}`}>{integrationTitle(i)}</Link>
          </li>
        ))}
        {item.tags.map((t) => (
          <li key={`t-${t}`}>
            <Link className="badge" href={`/templates?tag=${t}`}>#{t}</Link>
          </li>
        ))}
      </ul>
    </li>
  );
}
