'use client';
import type { Run, WorkflowVersion } from '@weft/workflow-schema';
import { FastForward } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, errorMessage, issuesMessage } from '../../lib/api';
import { parseReplayInput, replayInput, replayableNodes } from '../../lib/replay-input';

type Definition = Parameters<typeof replayInput>[0];

/**
 * Replay from a node with an edited input, as a new run (`POST /v1/runs/:id/rerun { fromNodeId,
 * stepOutputs }`): pick a node, edit its input (the outputs of the nodes before it, prefilled
 * from this run), and the new run reuses every output before it and runs it and what follows.
 */
export function ReplayFromNode({ run }: { run: Run }) {
  const router = useRouter();
  const [def, setDef] = useState<Definition | null>(null);
  const [nodeId, setNodeId] = useState('');
  const [text, setText] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    api.getVersion(run.workflowVersionId).then((v: WorkflowVersion) => live && setDef(v.definition as Definition), (err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [run.workflowVersionId]);
  const pick = (id: string) => {
    setNodeId(id);
    setError(null);
    if (def && id) setText(JSON.stringify(replayInput(def, run.steps, id), null, 2));
  };
  const submit = async () => {
    const parsed = parseReplayInput(text);
    if (!parsed.ok) return setError(parsed.message);
    setBusy(true);
    setError(null);
    try {
      const { runId } = await api.rerunRun(run.id, { fromNodeId: nodeId, stepOutputs: parsed.value });
      router.push(`/runs/${runId}`);
    } catch (err) {
      setError(issuesMessage(err));
      setBusy(false);
    }
  };
  return (
    <details className="rerun" data-testid="replay-from-node">
      <summary>Replay from a node with edited input</summary>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="replay-node">Start from</label>
          <select id="replay-node" className="select" value={nodeId} onChange={(e) => pick(e.target.value)} required data-testid="replay-node">
            <option value="" disabled>Pick a node…</option>
            {def && replayableNodes(def).map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
          </select>
        </div>
        {nodeId && (
          <label className="field">
            <span className="small muted">Its input: the outputs of the nodes before it, by node id (reused as they are here, not run again)</span>
            <textarea className="textarea mono" rows={8} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-invalid={!!error} data-testid="replay-input" />
          </label>
        )}
        {error && <p className="error-note" role="alert" data-testid="replay-error">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy || !nodeId} data-testid="replay-submit"><FastForward size={14} aria-hidden /> Start a new run from here</button>
      </form>
    </details>
  );
}
