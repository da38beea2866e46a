'use client';
import type { Run, Step } from '@weft/workflow-schema';
import { TERMINAL_RUN_STATUSES } from '@weft/workflow-schema';
import { isResumable } from '@weft/workflow-schema/kinds';
import { StatusBadge } from '@weft/ui/status-badge';
import { ancestorsOf } from '../../lib/ops';
import { useEditor } from '../store';
import { ApprovalPrompt } from './ApprovalPrompt';
import { ErrorBox } from './ErrorBox';
import { IterationList } from './IterationList';
import { cancelRun, closeRun } from './run-actions';


function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className="json" data-testid={testId}>
      {value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}

const duration = (ms: number | null | undefined) => (ms == null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`);

/** The run tab: the whole run when no node is selected, else the selected node's step. */
export function StepDetail({ nodeId }: { nodeId: string | null }) {
  const parentRun = useEditor((s) => s.run);
  const node = useEditor((s) => (nodeId ? s.nodes.find((n) => n.id === nodeId) : undefined));
  const loop = useEditor((s) => (node?.parentId ? s.nodes.find((n) => n.id === node.parentId) : undefined));
  const loopStep = useEditor((s) => (loop && !loop.parentId ? s.stepsByNode[loop.data.localId] : undefined));
  const iteration = useEditor((s) => (node?.parentId && s.iteration?.loopId === node.parentId ? s.iteration : null));
  // A body node's step is the one of the item opened (its run is that item's iteration run).
  const step = useEditor((s) => (node ? (node.parentId ? s.bodySteps[node.id] : s.stepsByNode[node.data.localId]) : undefined));
  const run = iteration?.run ?? parentRun;
  if (!run || !parentRun) return null;
  if (!node) return <RunSummary run={run} />;
  const logs = run.logs.filter((l) => step && l.stepId === step.id);
  return (
    <div className="step-detail" data-testid="step-detail">
      <header className="inspector-header">
        <div>
          <h2>{node.data.name || node.data.localId}</h2>
          {iteration && <p className="muted" data-testid="step-item">Item {iteration.index} of {loop?.data.name || loop?.data.localId}</p>}
          <p className="muted">{step ? <StatusBadge status={step.status} /> : node.parentId ? (iteration ? 'Not reached in this item.' : null) : 'Not reached in this run.'}</p>
        </div>
      </header>
      {node.parentId && (
        <>
          {!iteration && (
            <p className="muted" data-testid="body-node-hint">
              This node is in the body of for_each {loop?.data.name || loop?.data.localId}, which runs it once per item.{' '}
              {loopStep ? 'Open an item to see this node’s step in it.' : 'The loop was not reached in this run.'}
            </p>
          )}
          {loopStep && loop && <IterationList runId={parentRun.id} step={loopStep} loopId={loop.id} />}
        </>
      )}
      {step && node.type === 'loop' && !node.parentId && (
        <>
          <h3 className="section-title">Items</h3>
          <IterationList runId={parentRun.id} step={step} loopId={node.id} />
        </>
      )}
      {step?.status === 'waiting' && isResumable(node.data.type) && <ApprovalPrompt run={run} nodeId={node.data.localId} />}
      {step && (
        <>
          <dl className="facts">
            <dt>Attempts</dt>
            <dd data-testid="step-attempts">{step.attempt}</dd>
            <dt>Duration</dt>
            <dd>{duration(step.durationMs)}</dd>
            <dt>Started</dt>
            <dd>{step.startedAt ? new Date(step.startedAt).toLocaleTimeString() : '—'}</dd>
          </dl>
          <h3 className="section-title">Input</h3>
          <Json value={inputOf(run, node.data.localId)} />
          <h3 className="section-title">Output</h3>
          <Json value={step.output ?? undefined} testId="step-output" />
          {step.error && (
            <>
              <h3 className="section-title">Error</h3>
              <ErrorBox error={step.error} testId="step-error" />
            </>
          )}
          <h3 className="section-title">Logs</h3>
          <Logs logs={logs} />
        </>
      )}
    </div>
  );
}

/** What a step could read: the run inputs and the outputs of the steps upstream of it. */
function inputOf(run: Run, nodeId: string) {
  const { edges } = useEditor.getState();
  const steps: Record<string, { output: unknown }> = {};
  const byNode = new Map(run.steps.map((s) => [s.nodeId, s] as [string, Step]));
  for (const id of ancestorsOf({ edges }, nodeId).reverse()) {
    const s = byNode.get(id);
    if (s?.status === 'succeeded') steps[id] = { output: s.output };
  }
  return { input: run.inputs, steps };
}

function Logs({ logs }: { logs: Run['logs'] }) {
  if (!logs.length) return <p className="muted">No log lines.</p>;
  return (
    <ol className="logs">
      {logs.map((l, i) => (
        <li key={i} className={`log log-${l.level}`}>
          <time>{new Date(l.ts).toLocaleTimeString()}</time> <span className="log-level">{l.level}</span> {l.msg}
        </li>
      ))}
    </ol>
  );
}

function RunSummary({ run }: { run: Run }) {
  const done = TERMINAL_RUN_STATUSES.has(run.status);
  const took = run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;
  return (
    <div className="step-detail" data-testid="run-summary">
      <header className="inspector-header">
        <div>
          <h2>Run</h2>
          <p className="muted mono">{run.id}</p>
        </div>
      </header>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="run-status">
          <StatusBadge status={run.status} />
        </dd>
        <dt>Duration</dt>
        <dd>{duration(took)}</dd>
        <dt>Steps</dt>
        <dd>{run.steps.length}</dd>
      </dl>
      <p className="muted">Select a node to see its step: input, output, error, attempts and logs.</p>
      <h3 className="section-title">Inputs</h3>
      <Json value={run.inputs} />
      <h3 className="section-title">Output</h3>
      <Json value={run.output ?? undefined} testId="run-output" />
      {run.error != null && (
        <>
          <h3 className="section-title">Error</h3>
          <ErrorBox error={run.error} testId="run-error" />
        </>
      )}
      <h3 className="section-title">Logs</h3>
      <Logs logs={run.logs} />
      <div className="row-actions">
        {!done && (
          <button type="button" className="btn btn-danger" onClick={() => void cancelRun(run.id)}>
            Cancel run
          </button>
        )}
        <button type="button" className="btn" onClick={closeRun}>
          Back to editing
        </button>
      </div>
    </div>
  );
}
