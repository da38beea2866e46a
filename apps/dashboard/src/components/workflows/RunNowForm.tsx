'use client';
import type { Workflow } from '@weft/workflow-schema';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { inputFields, inputsOf, type InputField } from '../../lib/input-fields';

/** A form from the trigger's inputSchema of the workflow's latest version; starting the run opens it. */
export function RunNowForm({ workflow, onClose }: { workflow: Workflow; onClose: () => void }) {
  const router = useRouter();
  const [fields, setFields] = useState<InputField[] | null>(null);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.listVersions(workflow.id).then(
      (page) => {
        const latest = page.items.reduce((a, b) => (b.version > a.version ? b : a));
        const trigger = latest.definition.nodes.find((n) => n.type === 'trigger');
        setFields(inputFields((trigger?.config as { inputSchema?: unknown } | undefined)?.inputSchema));
      },
      (err) => setError(errorMessage(err)),
    );
  }, [workflow.id]);
  const start = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const { runId } = await api.createRun({ workflowId: workflow.id, inputs: inputsOf(fields ?? [], values) as never });
      router.push(`/runs/${runId}`);
    } catch (err) {
      setError(`The run did not start: ${errorMessage(err)}`);
    }
  };
  return (
    <form className="run-now" onSubmit={(e) => void start(e)} aria-label={`Run ${workflow.name}`} data-testid="run-now-form">
      {fields === null && !error && <p className="muted">Reading the trigger's inputs…</p>}
      {fields?.length === 0 && <p className="muted">This workflow takes no inputs.</p>}
      {fields?.map((f) => (
        <label key={f.name} className="field">
          <span className="field-label">
            {f.name} {f.required && <span className="req">*</span>}
          </span>
          {f.kind === 'boolean' ? (
            <input type="checkbox" checked={values[f.name] === true} onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })} />
          ) : (
            <input className={f.kind === 'json' ? 'input mono' : 'input'} type={f.kind === 'number' ? 'number' : 'text'} required={f.required} placeholder={f.kind === 'json' ? 'JSON' : undefined}
              value={String(values[f.name] ?? '')} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} data-testid={`input-${f.name}`} />
          )}
          {f.description && <span className="field-help">{f.description}</span>}
        </label>
      ))}
      {error && <p className="error-note" role="alert">{error}</p>}
      <div className="row">
        <button type="button" className="btn" onClick={onClose}>Close</button>
        <button type="submit" className="btn btn-primary" disabled={fields === null} data-testid="start-run">Start run</button>
      </div>
    </form>
  );
}
