'use client';
import type { RunUsage } from '@weft/workflow-schema';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { barPair, humanDuration, monthStart } from '../../lib/usage';

interface Months {
  current: RunUsage;
  previous: RunUsage;
}

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
 * Usage this month, counted from the runs (`GET /v1/runs/usage`): runs started and the time their
 * steps executed, each against last month. Metered usage (GET /v1/usage) is its own page.
 */
export function UsageCard() {
  const [months, setMonths] = useState<Months | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const now = new Date();
    const [prev, start] = [monthStart(now, -1), monthStart(now)];
    Promise.all([api.runUsage({ since: start }), api.runUsage({ since: prev, until: start })]).then(
      ([current, previous]) => setMonths({ current, previous }),
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
              : <>{months.current.testRuns.toLocaleString()} test run{months.current.testRuns === 1 ? '' : 's'} from the studio included; {months.current.steps.toLocaleString()} step attempts. <Link href="/runs">All runs</Link></>}
          </p>
        </>
      )}
    </section>
  );
}
