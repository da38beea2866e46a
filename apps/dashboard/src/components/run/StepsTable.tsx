'use client';
import type { Run, Step } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import { RotateCcw } from 'lucide-react';
import { when } from '../../lib/format';
import { formatDuration, nodeRows } from '../../lib/run-steps';

/** Every node the run reached: status, attempts, duration, error; each opens to its attempts' input, output, error and log lines. */
export function StepsTable({ steps, logs, onRetryFrom }: { steps: Step[]; logs: Run['logs']; onRetryFrom: ((nodeId: string) => void) | null }) {
  const rows = nodeRows(steps);
  if (!rows.length) return <p className="muted">No step has started yet.</p>;
  return (
    <table className="table steps" data-testid="steps-table">
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Duration</th>
          <th scope="col">Error</th>
          {onRetryFrom && <th scope="col"><span className="sr-only">Actions</span></th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const last = row.attempts[row.attempts.length - 1]!;
          return (
            <tr key={row.nodeId} data-testid={`step-${row.nodeId}`} data-status={row.status}>
              <td>
                <details>
                  <summary className="mono">{row.nodeId}</summary>
                  {row.attempts.map((a) => (
                    <div key={a.id} className="attempt" data-testid="attempt">
                      <p className="muted small">
                        Attempt {a.attempt} · <StatusBadge status={a.status} /> · started {when(a.startedAt)} · {formatDuration(a.durationMs)}
                      </p>
                      {a.input != null && <Json label="Input" value={a.input} />}
                      {a.output != null && <Json label="Output" value={a.output} />}
                      {a.error && <Json label="Error" value={a.error} />}
                      <StepLogs lines={logs.filter((l) => l.stepId === a.id)} />
                    </div>
                  ))}
                </details>
              </td>
              <td><StatusBadge status={row.status} /></td>
              <td>{row.attempts.length}</td>
              <td>{formatDuration(row.durationMs)}</td>
              <td className="cell-error" data-testid="step-error">{last.error ? `${last.error.code}: ${last.error.message}` : ''}</td>
              {onRetryFrom && (
                <td>
                  <button type="button" className="btn btn-sm" onClick={() => onRetryFrom(row.nodeId)} data-testid={`retry-from-${row.nodeId}`} title={`Re-run from ${row.nodeId} and everything after it`}>
                    <RotateCcw size={12} aria-hidden /> Retry from here
                  </button>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="json-block">
      <h4>{label}</h4>
      <pre className="json">{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

/** One attempt's log lines (run_logs: masked, capped per attempt). */
function StepLogs({ lines }: { lines: Run['logs'] }) {
  if (!lines.length) return null;
  return (
    <div className="json-block">
      <h4>Logs</h4>
      <ol className="step-logs" data-testid="step-logs">
        {lines.map((l, i) => (
          <li key={i} className={`log log-${l.level}`}>
            <time className="muted">{new Date(l.ts).toLocaleTimeString()}</time> <span className="log-level">{l.level}</span> {l.msg}
          </li>
        ))}
      </ol>
    </div>
  );
}
