import type { WorkflowStats } from '@weft/workflow-schema';
import { scaleLinear } from '@visx/scale';
import { LinePath } from '@visx/shape';
import { successRates } from '../../lib/run-days';

const W = 72;
const H = 22;
const PAD = 2;

/**
 * Success rate per day (succeeded over finished runs) as a line drawn with visx, broken on days
 * where nothing finished; the overall rate beside it, and the same numbers in the label.
 */
export function Sparkline({ daily }: { daily: WorkflowStats['daily'] }) {
  const succeeded = daily.reduce((t, d) => t + d.succeeded, 0);
  const ended = daily.reduce((t, d) => t + d.succeeded + d.failed, 0);
  const rate = ended ? Math.round((succeeded / ended) * 100) : null;
  const label = rate === null ? `No finished run in ${daily.length} days` : `${rate}% succeeded over ${daily.length} days (${succeeded} of ${ended})`;
  const rates = successRates(daily);
  const x = scaleLinear({ domain: [0, Math.max(1, daily.length - 1)], range: [PAD, W - PAD] });
  const y = scaleLinear({ domain: [0, 1], range: [H - PAD, PAD] });
  const points = rates.map((r, i) => ({ i, r }));
  const ok = (p: { r: number | null }): p is { i: number; r: number } => p.r !== null;
  return (
    <span className="sparkline-wrap" data-testid="success-rate">
      <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <title>{label}</title>
        <line x1={PAD} x2={W - PAD} y1={y(1)} y2={y(1)} className="spark-top" />
        <LinePath data={points} defined={ok} x={(p) => x(p.i)} y={(p) => y(p.r ?? 0)} className="spark-line" />
        {points.filter(ok).map((p) => (
          <circle key={p.i} cx={x(p.i)} cy={y(p.r)} r={1.6} className={p.r < 1 ? 'spark-dot spark-dot-failed' : 'spark-dot'}>
            <title>{`${daily[p.i]!.day}: ${daily[p.i]!.succeeded} succeeded, ${daily[p.i]!.failed} failed, ${daily[p.i]!.total} in all`}</title>
          </circle>
        ))}
      </svg>
      <span className="muted small">{rate === null ? '—' : `${rate}%`}</span>
    </span>
  );
}
