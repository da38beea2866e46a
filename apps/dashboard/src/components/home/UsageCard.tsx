'use client';
import type { UsageAnswer } from '@weft/workflow-schema';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { barPair, humanDuration, utcMonthDays } from '../../lib/usage';

/** Runs started and executor step time of one month (metered usage's `run` and `step_ms`). */
interface Month {
  runs: number;
  stepMs: number;
}

interface Months {
  current: Month;
  previous: Month;
}

const monthOf = (u: UsageAnswer): Month => ({ runs: u.totals.run ?? 0, stepMs: u.totals.step_ms ?? 0 });

/** One measure of this month against the last, as two bars on one scale. */
function Measure({ label, current, previous, show, testId }: { label: string; current: number; previous: number; show(n: number): string; testId: string }) {
  const [a, b] = barPair(current, previous);
  return (
    <div className="usage-measure" data-testid={testId}>
      <div className="row-between"><span className="small muted">{label}</span><strong className="usage-value" data-testid={`${testId}-value`}>{show(current)}</strong></div>
      <div className="usage-bar" role="img" aria-label={`${label}: ${show(current)} this month, ${show(previous)} last month`}>
        <span className="usage-bar-now" style={{ width: `${a}%` }} />
      </div>
      <div className="usage-bar usage-bar-prev" aria-hidden>
        <span style={{ width: `${b}%` }} />
      </div>
      <div className="small muted">last month {show(previous)}</div>
    </div>
  );
}

/**
 * Usage this month (`GET /v1/usage`, UTC months: the numbers of the Usage page and of billing's
 * quotas): runs started and the time steps executed, each against last month.
 */
export function UsageCard() {
  const [months, setMonths] = useState<Months | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const now = new Date();
    Promise.all([api.getUsage(utcMonthDays(now)), api.getUsage(utcMonthDays(now, -1))]).then(
      ([current, previous]) => setMonths({ current: monthOf(current), previous: monthOf(previous) }),
      (err) => setError(errorMessage(err)),
    );
  }, []);
  return (
    <section className="card" aria-labelledby="usage" data-testid="usage-card">
      <h2 id="usage">Usage this month</h2>
      {error && <p className="error-note" role="alert">The usage could not be loaded: {error}</p>}
      {!months && !error && <div className="skeleton" style={{ height: 60 }} />}
      {months && (
        <>
          <Measure label="Runs" current={months.current.runs} previous={months.previous.runs} show={(n) => n.toLocaleString()} testId="usage-runs" />
          <Measure label="Step time" current={months.current.stepMs} previous={months.previous.stepMs} show={humanDuration} testId="usage-step-time" />
          <p className="small muted">
            {months.current.runs === 0
              ? <>Nothing ran this month yet: run a workflow from <Link href="/workflows">Workflows</Link>.</>
              : <>UTC month, as billed; test runs from the studio included. <Link href="/usage">Usage details</Link></>}
          </p>
        </>
      )}
    </section>
  );
}
