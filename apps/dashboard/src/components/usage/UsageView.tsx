'use client';
import type { UsageAnswer } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { formatQuantity, KIND_LABELS, utcMonthDays } from '../../lib/usage';
import { ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { DailyChart } from './DailyChart';
import { QuotaMeters } from './QuotaMeters';
import { UsageTable } from './UsageTable';

interface Loaded {
  byDay: UsageAnswer;
  byWorkflow: UsageAnswer;
  byNodeType: UsageAnswer;
}

/** This month's usage of the org: totals against the plan's quotas, per day, by workflow and by node type. */
export function UsageView() {
  const [range] = useState(() => utcMonthDays(new Date()));
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all((['day', 'workflow', 'nodeType'] as const).map((groupBy) => api.getUsage({ ...range, groupBy })))
      .then(([byDay, byWorkflow, byNodeType]) => live && setData({ byDay: byDay!, byWorkflow: byWorkflow!, byNodeType: byNodeType! }))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [range]);

  return (
    <>
      <PageHeader title="Usage" sub={`This month so far (${range.from} to ${range.to}, UTC), against the quotas of your plan. Today is counted as it happens.`} />
      <ErrorNote message={error && `Usage could not be loaded: ${error}`} />
      {!data && !error && <div className="skeleton" style={{ height: 240 }} aria-label="Loading usage" />}
      {data && (
        <>
          <p className="muted small" data-testid="plan-name">Plan: <strong>{data.byDay.plan.name}</strong></p>
          <QuotaMeters plan={data.byDay.plan} />
          <section className="card">
            <h2>This month</h2>
            <dl className="usage-totals" data-testid="usage-totals">
              {Object.keys(KIND_LABELS).map((k) => (
                <div key={k} data-testid={`total-${k}`}>
                  <dt className="muted small">{KIND_LABELS[k]}</dt>
                  <dd>{formatQuantity(k, data.byDay.totals[k] ?? 0)}</dd>
                </div>
              ))}
            </dl>
            <div className="daily-charts">
              <DailyChart from={range.from} to={range.to} kind="run" byDay={new Map(data.byDay.items.map((i) => [i.key, i.totals]))} />
              <DailyChart from={range.from} to={range.to} kind="step_ms" byDay={new Map(data.byDay.items.map((i) => [i.key, i.totals]))} />
            </div>
          </section>
          <section className="card">
            <h2>By workflow</h2>
            <UsageTable items={data.byWorkflow.items} label="Workflow" testId="usage-by-workflow" />
          </section>
          <section className="card">
            <h2>By node type</h2>
            <UsageTable items={data.byNodeType.items.filter((i) => i.key !== '')} label="Node type" testId="usage-by-node-type" />
          </section>
        </>
      )}
    </>
  );
}
