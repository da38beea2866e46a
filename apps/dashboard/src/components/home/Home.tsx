'use client';
import type { RunCounts, RunSummary } from '@weft/workflow-schema';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { errorText, shortId, when } from '../../lib/format';
import { type DayCounts, lastDays } from '../../lib/run-days';
import { useWaitingApprovals } from '../../lib/use-approvals';
import { useWorkflows } from '../../lib/use-workflows';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { StatusChart } from './StatusChart';
import { UsageCard } from './UsageCard';

/** Today at a glance: runs by status, the failures to look at, the approvals that wait, this month's usage. */
export function Home() {
  // The last 7 local days, today's last: today's counts are the legend, every day a stacked bar.
  const [days] = useState(() => lastDays(new Date(), 7));
  const since = days[days.length - 1]!.since;
  const [counts, setCounts] = useState<RunCounts['counts'] | null>(null);
  const [perDay, setPerDay] = useState<DayCounts[] | null>(null);
  const [failed, setFailed] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const approvals = useWaitingApprovals(20);
  const { workflows, nameOf } = useWorkflows();
  useEffect(() => {
    Promise.all([api.countRuns({ since }), api.listRuns({ status: 'failed', limit: 5 })]).then(
      ([c, f]) => (setCounts(c.counts), setFailed(f.items)),
      (err) => setError(`The overview could not be loaded: ${errorMessage(err)}`),
    );
  }, [since]);
  useEffect(() => {
    // One index-backed count per earlier day (GET /v1/runs/counts takes since and until); a failure leaves the skeleton.
    Promise.all(days.slice(0, -1).map((d) => api.countRuns({ since: d.since, until: d.until }).then((c) => ({ ...d, counts: c.counts })))).then(
      (earlier) => setPerDay(earlier),
      (err) => setError(`The last days' runs could not be loaded: ${errorMessage(err)}`),
    );
  }, [days]);
  const chartDays = perDay && counts ? [...perDay, { ...days[days.length - 1]!, counts }] : null;
  return (
    <>
      <PageHeader title="Home" sub="Today's runs, the failures to look at, the decisions waiting for you and this month's usage." />
      <ErrorNote message={error ?? approvals.error} />
      <div className="home-grid">
        <section className="card" aria-labelledby="today">
          <h2 id="today">Runs today <span className="muted small">and the last 7 days</span></h2>
          {counts ? <StatusChart counts={counts} since={since} days={chartDays} /> : <div className="skeleton" style={{ height: 60 }} />}
          {counts && Object.values(counts).every((n) => n === 0) && (
            <p className="muted">
              No run today yet. {workflows.length ? <>Start one from <Link href="/workflows">Workflows</Link>.</> : <>Create a workflow in the studio, publish it, and run it.</>}
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="approvals">
          <h2 id="approvals">
            Waiting approvals {approvals.items && <span className="badge badge-warning" data-testid="approvals-count">{approvals.items.length}</span>}
          </h2>
          {approvals.items?.length === 0 && <p className="muted">Nothing waits for a decision.</p>}
          <ul className="plain-list">
            {approvals.items?.slice(0, 5).map((a) => (
              <li key={`${a.runId}/${a.nodeId}`}>
                <Link href={`/runs/${a.runId}`}>{a.prompt}</Link> <span className="muted small">· {nameOf(a.workflowId)}</span>
              </li>
            ))}
          </ul>
          {!!approvals.items?.length && <Link href="/approvals" className="btn btn-sm">Open the inbox</Link>}
        </section>
      </div>
      <div className="home-grid">
        <section className="card" aria-labelledby="failures">
          <h2 id="failures">Failures needing attention</h2>
          {failed?.length === 0 && (
            <EmptyState title="No failed runs" testId="no-failures">
              Nothing to fix. Failed runs show here with their error, ready to open and retry.
            </EmptyState>
          )}
          <ul className="plain-list failures" data-testid="failures">
            {failed?.map((r) => (
              <li key={r.id}>
                <Link href={`/runs/${r.id}`} className="mono" data-testid="failure-link">{shortId(r.id)}</Link> <strong>{nameOf(r.workflowId)}</strong>{' '}
                <span className="muted small">{when(r.createdAt)}</span>
                <div className="cell-error">{errorText(r.error)}</div>
              </li>
            ))}
          </ul>
          {!!failed?.length && <Link href="/runs?status=failed" className="btn btn-sm">All failed runs</Link>}
        </section>
        <UsageCard />
      </div>
    </>
  );
}
