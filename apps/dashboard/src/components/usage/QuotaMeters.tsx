import type { UsageAnswer } from '@weft/workflow-schema';
import { shareOf } from '../../lib/usage';

const QUOTAS = [
  { key: 'runsPerMonth', label: 'Runs this month' },
  { key: 'stepSecondsPerMonth', label: 'Step-seconds this month' },
  { key: 'concurrentRuns', label: 'Runs at once' },
] as const;

/** This month's use of each quota of the org's plan, against its limit (or "unlimited"). */
export function QuotaMeters({ plan }: { plan: UsageAnswer['plan'] }) {
  return (
    <ul className="quota-meters" aria-label={`Quotas of the plan ${plan.name}`}>
      {QUOTAS.map(({ key, label }) => {
        const q = plan.quotas[key];
        const share = shareOf(q.used, q.limit);
        return (
          <li key={key} className="card quota" data-testid={`quota-${key}`}>
            <span className="muted small">{label}</span>
            <strong>
              {q.used.toLocaleString('en-US')} <span className="muted">/ {q.limit === null ? 'unlimited' : q.limit.toLocaleString('en-US')}</span>
            </strong>
            <div className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={q.limit ?? 0} aria-valuenow={q.used}>
              <div className={share >= 1 ? 'meter-fill meter-full' : 'meter-fill'} style={{ width: `${Math.round(share * 100)}%` }} />
            </div>
            {q.resetsAt && q.limit !== null && <span className="muted small">resets {q.resetsAt.slice(0, 10)}</span>}
          </li>
        );
      })}
    </ul>
  );
}
