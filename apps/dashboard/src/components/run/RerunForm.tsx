'use client';
import type { Run } from '@weft/workflow-schema';
import { Play } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/**
 * Runs the same version again as a new run, with the inputs edited (JSON). The gateway checks them
 * against the trigger's input schema and answers 400 naming the field; the page then opens the new run.
 */
export function RerunForm({ run }: { run: Run }) {
  const router = useRouter();
  const [text, setText] = useState(() => JSON.stringify(run.inputs ?? {}, null, 2));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    let inputs: unknown;
    try {
      inputs = JSON.parse(text);
    } catch (err) {
      return setError(`The inputs are not JSON: ${(err as Error).message}`);
    }
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) return setError('The inputs must be a JSON object.');
    setBusy(true);
    try {
      const { runId } = await api.createRun({ workflowVersionId: run.workflowVersionId, inputs: inputs as Record<string, never> });
      router.push(`/runs/${runId}`);
    } catch (err) {
      setError(`The run was not started: ${errorMessage(err)}`);
      setBusy(false);
    }
  };
  return (
    <details className="rerun" data-testid="rerun">
      <summary>Run again with edited inputs</summary>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label>
          <span className="small muted">Inputs of the new run (this version, from the trigger)</span>
          <textarea className="textarea mono" rows={6} value={text} onChange={(e) => setText(e.target.value)} data-testid="rerun-inputs" spellCheck={false} />
        </label>
        {error && <p className="error-note" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rerun-submit"><Play size={14} aria-hidden /> Start the new run</button>
      </form>
    </details>
  );
}
