import { daysBetween, formatQuantity, KIND_LABELS } from '../../lib/usage';

/**
 * One bar per day of a usage kind (a bar of divs, like the home page's status chart: one chart
 * does not justify a chart library in the page's bundle).
 */
export function DailyChart({ from, to, kind, byDay }: { from: string; to: string; kind: string; byDay: Map<string, Record<string, number>> }) {
  const days = daysBetween(from, to);
  const values = days.map((d) => byDay.get(d)?.[kind] ?? 0);
  const max = Math.max(1, ...values);
  return (
    <figure className="daily-chart" data-testid={`daily-${kind}`}>
      <figcaption className="muted small">{KIND_LABELS[kind] ?? kind} per day</figcaption>
      <div className="bars" role="img" aria-label={days.map((d, i) => `${d}: ${formatQuantity(kind, values[i]!)}`).join(', ')}>
        {days.map((d, i) => (
          <div key={d} className="bar" title={`${d}: ${formatQuantity(kind, values[i]!)}`} data-day={d} data-value={values[i]}>
            <div className="bar-fill" style={{ height: `${Math.round((values[i]! / max) * 100)}%` }} />
          </div>
        ))}
      </div>
    </figure>
  );
}
