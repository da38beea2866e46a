'use client';
import type { Run } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { compareRuns, type NodeComparison, type NodeSide } from '../../lib/compare';
import { between, shortId, when } from '../../lib/format';
import { formatDuration } from '../../lib/run-steps';
import { useWorkflows } from '../../lib/use-workflows';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function Side({ side }: { side: NodeSide }) {
  if (side.status === 'not-reached') return <span className="muted">not reached</span>;
  return (
    <>
      <StatusBadge status={side.status} /> <span className="small">{formatDuration(side.durationMs)}{side.attempts > 1 && ` · ${side.attempts} attempts`}</span>
      {side.error && <div className="cell-error">{side.error}</div>}
    </>
  );
}

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

function Changes({ row }: { row: NodeComparison }) {
  if (!row.outputChanges.length) return <span className="muted">same output</span>;
  return (
    <ul className="diff" data-testid="output-diff">
      {row.outputChanges.slice(0, 50).map((c, i) => (
        <li key={i} className={`diff-${c.kind}`}>
          <span className="mono">{c.path || '(output)'}</span>{' '}
          {c.kind !== 'added' && <del>{show(c.before)}</del>} {c.kind !== 'removed' && <ins>{show(c.after)}</ins>}
        </li>
      ))}
      {row.outputChanges.length > 50 && <li className="muted">… {row.outputChanges.length - 50} more</li>}
    </ul>
  );
}

function RunHead({ label, run, nameOf }: { label: string; run: Run; nameOf: (id: string) => string }) {
  return (
    <div className="card compare-head" data-testid={`compare-${label}`}>
      <h2>
        {label.toUpperCase()} · <Link href={`/runs/${run.id}`} className="mono">{shortId(run.id)}</Link> <StatusBadge status={run.status} />
      </h2>
      <p className="small muted">
        {nameOf(run.workflowId)} · version {shortId(run.workflowVersionId)} · {when(run.createdAt)} · {formatDuration(between(run.startedAt, run.finishedAt))}
      </p>
    </div>
  );
}

/** Two runs side by side, node by node: status, duration (and its change), output diff. `?a=<run>&b=<run>`. */
export function RunCompare() {
  const params = useSearchParams();
  const [a, b] = [params.get('a') ?? '', params.get('b') ?? ''];
  const valid = UUID.test(a) && UUID.test(b);
  const [runs, setRuns] = useState<[Run, Run] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [onlyDifferent, setOnlyDifferent] = useState(false);
  const { nameOf } = useWorkflows();

  useEffect(() => {
    if (!valid) return;
    let live = true;
    Promise.all([api.getRun(a), api.getRun(b)]).then((r) => live && setRuns(r), (err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [a, b, valid]);

  const header = <PageHeader title="Compare runs" sub="Node by node: status, duration and what each node gave." />;
  if (!valid)
    return (
      <>
        {header}
        <EmptyState title="Pick two runs to compare">
          Select two runs in <Link href="/runs">Runs</Link> and press <strong>Compare</strong>, or open a run and compare it with the one before.
        </EmptyState>
      </>
    );
  if (!runs) return <>{header}<ErrorNote message={error && `The runs could not be loaded: ${error}`} />{!error && <div className="skeleton" style={{ height: 240 }} aria-label="Loading the runs" />}</>;
  const rows = compareRuns(runs[0], runs[1]);
  const different = rows.filter((r) => !r.same).length;
  return (
    <>
      {header}
      <div className="compare-grid">
        <RunHead label="a" run={runs[0]} nameOf={nameOf} />
        <RunHead label="b" run={runs[1]} nameOf={nameOf} />
      </div>
      {runs[0].workflowId !== runs[1].workflowId && <p className="notice warn">These runs are of different workflows: only nodes with the same id line up.</p>}
      <div className="row-between">
        <p className="muted" data-testid="compare-summary">{different === 0 ? 'Every node has the same status and output.' : `${different} of ${rows.length} nodes differ.`}</p>
        <label className="small"><input type="checkbox" checked={onlyDifferent} onChange={(e) => setOnlyDifferent(e.target.checked)} /> Only nodes that differ</label>
      </div>
      <table className="table" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">Duration change</th>
            <th scope="col">Output A → B</th>
          </tr>
        </thead>
        <tbody>
          {rows.filter((r) => !onlyDifferent || !r.same).map((r) => (
            <tr key={r.nodeId} data-testid={`compare-${r.nodeId}`} data-same={r.same}>
              <td className="mono">{r.nodeId}</td>
              <td><Side side={r.a} /></td>
              <td><Side side={r.b} /></td>
              <td className="small">{r.durationDelta === null ? '—' : `${r.durationDelta > 0 ? '+' : r.durationDelta < 0 ? '−' : '±'}${formatDuration(Math.abs(r.durationDelta))}`}</td>
              <td><Changes row={r} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
