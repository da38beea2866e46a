import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';
import { daysBetween, formatQuantity, KIND_LABELS } from '../../lib/usage';

const W = 480;
const H = 140;
const M = { top: 6, bottom: 16 };

/** One bar per day of a usage kind (visx), with the first and last day under the axis and every value in the label. */
export function DailyChart({ from, to, kind, byDay }: { from: string; to: string; kind: string; byDay: Map<string, Record<string, number>> }) {
  const days = daysBetween(from, to);
  const values = days.map((d) => byDay.get(d)?.[kind] ?? 0);
  const x = scaleBand({ domain: days, range: [0, W], padding: 0.2 });
  const y = scaleLinear({ domain: [0, Math.max(1, ...values)], range: [H - M.top - M.bottom, 0] });
  const label = days.map((d, i) => `${d}: ${formatQuantity(kind, values[i]!)}`).join(', ');
  return (
    <figure className="daily-chart" data-testid={`daily-${kind}`}>
      <figcaption className="muted small">{KIND_LABELS[kind] ?? kind} per day</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <Group top={M.top}>
          {days.map((d, i) => (
            <Bar key={d} x={x(d)} y={y(values[i]!)} width={x.bandwidth()} height={y(0) - y(values[i]!)} className="bar-fill" data-day={d} data-value={values[i]}>
              <title>{`${d}: ${formatQuantity(kind, values[i]!)}`}</title>
            </Bar>
          ))}
          <line x1={0} x2={W} y1={y(0)} y2={y(0)} className="axis-line" />
          {days.length > 0 && <text x={0} y={H - M.top - 3} className="axis-label">{days[0]}</text>}
          {days.length > 1 && <text x={W} y={H - M.top - 3} textAnchor="end" className="axis-label">{days[days.length - 1]}</text>}
        </Group>
      </svg>
    </figure>
  );
}
