import type { TemplateStats } from '@weft/workflow-schema';

/** Views, installs, runs of installed copies and their success rate, and the referral sources. */
export function StatsList({ stats }: { stats: TemplateStats }) {
  const rate = stats.successRate === null ? '—' : `${Math.round(stats.successRate * 100)}%`;
  return (
    <>
      <dl className="stats" data-testid="template-stats">
        <div><dt>Views</dt><dd data-testid="stat-views">{stats.views}</dd></div>
        <div><dt>Installs</dt><dd data-testid="stat-installs">{stats.installs}</dd></div>
        <div><dt>Runs</dt><dd data-testid="stat-runs">{stats.runs}</dd></div>
        <div><dt>Success</dt><dd data-testid="stat-success">{rate}</dd></div>
      </dl>
      {stats.sources.length > 0 && (
        <p className="muted small">
          From: {stats.sources.slice(0, 5).map((s) => `${s.source} (${s.views} views, ${s.installs} installs)`).join(' · ')}
        </p>
      )}
    </>
  );
}
