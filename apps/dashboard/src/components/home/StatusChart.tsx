import type { RunStatus } from '@weft/workflow-schema';
import Link from 'next/link';
import { RUN_STATUSES } from '../../lib/run-filters';

/**
 * Runs per status as one stacked bar with a legend; each status links to the run list filtered by
 * it. A bar of divs: one chart does not justify a chart library in the page's bundle.
 */
export function StatusChart({ counts, since }: { counts: Record<RunStatus, number>; since: string }) {
  const total = RUN_STATUSES.reduce((t, s) => t + counts[s], 0);
  const link = (s: RunStatus) => `/runs?status=${s}&since=${encodeURIComponent(since)}`;
  return (
    <div className="status-chart" data-testid="status-chart">
      <div className="stack" role="img" aria-label={RUN_STATUSES.map((s) => `${counts[s]} ${s}`).join(', ')}>
        {total === 0 ? <div className="stack-empty" /> : RUN_STATUSES.filter((s) => counts[s]).map((s) => <div key={s} className={`seg seg-${s}`} style={{ flexGrow: counts[s] }} title={`${counts[s]} ${s}`} />)}
      </div>
      <ul className="legend">
        {RUN_STATUSES.map((s) => (
          <li key={s}>
            <Link href={link(s)} data-testid={`count-${s}`}>
              <span className={`dot seg-${s}`} aria-hidden /> <strong>{counts[s]}</strong> {s}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
