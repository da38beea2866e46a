import type { RunStatus } from '@weft/workflow-schema';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { BarStack } from '@visx/shape';
import Link from 'next/link';
import { RUN_STATUSES } from '../../lib/run-filters';
import { type DayCounts, dayTotal } from '../../lib/run-days';

const W = 560;
const H = 150;
const M = { top: 8, right: 4, bottom: 20, left: 4 };

const runsLink = (s: RunStatus, since: string) => `/runs?status=${s}&since=${encodeURIComponent(since)}`;
const weekday = (day: string) => new Date(`${day}T12:00:00`).toLocaleDateString(undefined, { weekday: 'short' });

/** The last days' runs as stacked bars (visx), one per day; each segment links to that status's runs since that day. */
function DaysChart({ days }: { days: DayCounts[] }) {
  const x = scaleBand({ domain: days.map((d) => d.day), range: [0, W - M.left - M.right], padding: 0.25 });
  const y = scaleLinear({ domain: [0, Math.max(1, ...days.map((d) => dayTotal(d.counts)))], range: [H - M.top - M.bottom, 0], nice: true });
  return (
    <>
      <svg className="days-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Runs per day by status, the last ${days.length} days (numbers in the table below)`}>
        <Group left={M.left} top={M.top}>
          <line x1={0} x2={W - M.left - M.right} y1={y(0)} y2={y(0)} className="axis-line" />
          <BarStack<DayCounts, RunStatus> data={days} keys={[...RUN_STATUSES]} x={(d) => d.day} value={(d, s) => d.counts[s]} xScale={x} yScale={y} color={() => ''}>
            {(stacks) =>
              stacks.flatMap((stack) =>
                stack.bars.filter((b) => b.height > 0).map((b) => (
                  <Link key={`${stack.key}-${b.index}`} href={runsLink(stack.key, days[b.index]!.since)} aria-hidden tabIndex={-1}>
                    <rect x={b.x} y={b.y} width={b.width} height={b.height} className={`fill-${stack.key}`}>
                      <title>{`${days[b.index]!.day}: ${b.bar.data.counts[stack.key]} ${stack.key}`}</title>
                    </rect>
                  </Link>
                )),
              )
            }
          </BarStack>
          {days.map((d) => (
            <text key={d.day} x={(x(d.day) ?? 0) + x.bandwidth() / 2} y={H - M.top - 6} textAnchor="middle" className="axis-label">{weekday(d.day)}</text>
          ))}
        </Group>
      </svg>
      <table className="sr-only" data-testid="days-table">
        <caption>Runs per day by status</caption>
        <thead><tr><th scope="col">Day</th>{RUN_STATUSES.map((s) => <th key={s} scope="col">{s}</th>)}</tr></thead>
        <tbody>{days.map((d) => <tr key={d.day}><th scope="row">{d.day}</th>{RUN_STATUSES.map((s) => <td key={s}>{d.counts[s]}</td>)}</tr>)}</tbody>
      </table>
    </>
  );
}

/**
 * Today's runs per status (the legend: each status links to the run list filtered by it since
 * midnight) over the last days' runs as stacked bars drawn with visx (while those load, a skeleton).
 */
export function StatusChart({ counts, since, days }: { counts: Record<RunStatus, number>; since: string; days: DayCounts[] | null }) {
  return (
    <div className="status-chart" data-testid="status-chart">
      {days ? <DaysChart days={days} /> : <div className="skeleton" style={{ height: 120 }} />}
      <ul className="legend" aria-label="Today">
        {RUN_STATUSES.map((s) => (
          <li key={s}>
            <Link href={runsLink(s, since)} data-testid={`count-${s}`}>
              <span className={`dot seg-${s}`} aria-hidden /> <strong>{counts[s]}</strong> {s}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
