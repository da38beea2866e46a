import type { WorkflowStats } from '@weft/workflow-schema';

/**
 * Success rate per day as a row of bars (height: runs that day, relative to the busiest; colour:
 * succeeded over failed), drawn with the same status colours as the home page's chart. Bars of
 * divs: a sparkline does not justify a chart library in the page's bundle.
 */
export function Sparkline({ daily }: { daily: WorkflowStats['daily'] }) {
  const max = Math.max(1, ...daily.map((d) => d.total));
  const succeeded = daily.reduce((t, d) => t + d.succeeded, 0);
  const ended = daily.reduce((t, d) => t + d.succeeded + d.failed, 0);
  const rate = ended ? Math.round((succeeded / ended) * 100) : null;
  const label = rate === null ? `No finished run in ${daily.length} days` : `${rate}% succeeded over ${daily.length} days (${succeeded} of ${ended})`;
  return (
    <span className="sparkline-wrap" data-testid="success-rate">
      <span className="sparkline" role="img" aria-label={label} title={label}>
        {daily.map((d) => (
          <span key={d.day} className="spark-bar" style={{ height: `${Math.max(8, (d.total / max) * 100)}%` }} title={`${d.day}: ${d.succeeded} succeeded, ${d.failed} failed, ${d.total} in all`}>
            {d.total > 0 && <span className="seg-failed" style={{ flexGrow: d.failed }} />}
            {d.total > 0 && <span className="seg-succeeded" style={{ flexGrow: d.succeeded }} />}
          </span>
        ))}
      </span>
      <span className="muted small">{rate === null ? '—' : `${rate}%`}</span>
    </span>
  );
}
