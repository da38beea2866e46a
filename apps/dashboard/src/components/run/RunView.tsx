'use client';
import { StatusBadge } from '@weft/ui/status-badge';
import { RotateCcw, Square } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { CANCELLABLE, RETRYABLE } from '../../lib/bulk';
import { between, errorText, shortId, when } from '../../lib/format';
import { formatDuration, waitingApprovals } from '../../lib/run-steps';
import { useLiveRun } from '../../lib/use-live-run';
import { useWorkflows } from '../../lib/use-workflows';
import { ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { ApprovalCard } from './ApprovalCard';
import { CompareWithPrevious } from './CompareWithPrevious';
import { EventHistory } from './EventHistory';
import { ReplayFromNode } from './ReplayFromNode';
import { RerunForm } from './RerunForm';
import { RunCostLine } from './RunCostLine';
import { RunReplay } from './RunReplay';
import { Json, StepsTable } from './StepsTable';
import { Timeline } from './Timeline';
import { TraceLink } from './TraceLink';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** One run, live: what it was given and gave, its graph and steps, its history; cancel, retry, approve. */
export function RunView({ id, traceUrlTemplate = null }: { id: string; traceUrlTemplate?: string | null }) {
  const { run, error, follow } = useLiveRun(id);
  const { nameOf } = useWorkflows();
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
      setNotice(what);
      follow();
    } catch (err) {
      setActionError(`${what} refused: ${errorMessage(err)}`);
    }
  };

  if (!run) return error ? <ErrorNote message={`The run could not be loaded: ${error}`} /> : <div className="skeleton" style={{ height: 320 }} aria-label="Loading the run" />;
  const canRetry = RETRYABLE.has(run.status);
  const approvals = waitingApprovals(run);
  const runError = errorText(run.error);
  return (
    <>
      <PageHeader
        title={
          <>
            Run <span className="mono">{shortId(run.id)}</span> <StatusBadge status={run.status} />
          </>
        }
        sub={
          <>
            <Link href={`/runs?workflowId=${run.workflowId}`}>{nameOf(run.workflowId)}</Link> · {run.triggerType.replace('_', ' ')} · created {when(run.createdAt)} ·{' '}
            {formatDuration(between(run.startedAt, run.finishedAt))}
          </>
        }
      >
        <CompareWithPrevious run={run} />
        {CANCELLABLE.has(run.status) && (
          <button type="button" className="btn btn-danger" onClick={() => void act('Cancel requested', () => api.cancelRun(run.id))} data-testid="cancel-run">
            <Square size={14} aria-hidden /> Cancel
          </button>
        )}
        {canRetry && (
          <button type="button" className="btn btn-primary" onClick={() => void act('Retry requested', () => api.retryRun(run.id))} data-testid="retry-run">
            <RotateCcw size={14} aria-hidden /> Retry failed steps
          </button>
        )}
      </PageHeader>
      <ErrorNote message={actionError ?? (error && `Lost track of the run: ${error}`)} />
      {notice && <p className="notice" role="status">{notice}</p>}
      <RunCostLine runId={run.id} version={run.status} />
      {approvals.map((a) => (
        <ApprovalCard key={a.nodeId} approval={a} onDone={(d) => (setNotice(d === 'approve' ? 'Approved' : 'Rejected'), follow())} />
      ))}
      {runError && (
        <section className="run-error" aria-label="Why the run failed" data-testid="run-error">
          <strong>{run.status === 'failed' ? 'The run failed' : 'Error'}</strong>
          <p>{runError}</p>
        </section>
      )}
      <div className="run-grid">
        <section className="card">
          <h2>Graph</h2>
          <RunReplay run={run} />
        </section>
        <section className="card">
          <h2>Data</h2>
          <Json label="Inputs" value={run.inputs} />
          {run.output != null && <Json label="Output" value={run.output} />}
          <RerunForm run={run} />
          {ENDED.has(run.status) && <ReplayFromNode run={run} />}
        </section>
      </div>
      <section className="card">
        <h2>Timeline</h2>
        <TraceLink traceId={run.traceId ?? null} template={traceUrlTemplate} />
        <Timeline run={run} />
      </section>
      <section className="card">
        <h2>Steps</h2>
        <StepsTable steps={run.steps} logs={run.logs} onRetryFrom={canRetry ? (nodeId) => void act(`Retry from ${nodeId} requested`, () => api.retryRun(run.id, { fromNodeId: nodeId })) : null} />
      </section>
      <section className="card">
        <h2>Event history</h2>
        <EventHistory runId={run.id} version={`${run.status}:${run.steps.map((s) => s.status).join(',')}`} />
      </section>
    </>
  );
}
