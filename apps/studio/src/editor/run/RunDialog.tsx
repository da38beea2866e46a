'use client';
import { Play } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { loadUserSchemas, userSchemasReady, validateAgainst, type JSONSchema } from '../../lib/schema';
import { JsonField } from '../form/JsonField';
import { SchemaForm } from '../form/SchemaForm';
import { PlainTextContext } from '../form/TemplateInput';
import { useEditor } from '../store';
import { startRun } from './run-actions';

const lastInputs = new Map<string, Record<string, unknown>>();

/** Asks for the run inputs (a form from the trigger's inputSchema, or JSON), then starts the run. */
export function RunDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const workflowId = useEditor((s) => s.workflowId);
  const schema = useEditor((s) => s.nodes.find((n) => !n.parentId && n.data.type === 'trigger')?.data.config.inputSchema) as JSONSchema | undefined;
  const [inputs, setInputs] = useState<Record<string, unknown>>(() => lastInputs.get(workflowId) ?? {});
  const [raw, setRaw] = useState(false);
  const [busy, setBusy] = useState(false);
  const [pins, setPins] = useState<string[]>([]);
  // Nodes the run on the canvas finished with an output: their outputs can be pinned (reused, not executed).
  const pinnable = useEditor((s) => s.run?.steps.filter((st) => st.status === 'succeeded' && st.nodeId !== 'trigger').map((st) => st.nodeId).join(',') ?? '');
  const pinnableIds = pinnable ? [...new Set(pinnable.split(','))] : [];
  // Only while open: the first check loads the linear-time regex engine and compiles the schema (and
  // Ajv's meta-schema), not worth doing on load.
  const [ready, setReady] = useState(userSchemasReady);
  useEffect(() => {
    if (open && !ready) void loadUserSchemas().then(() => setReady(true));
  }, [open, ready]);
  const errors = useMemo(() => (open && ready && schema ? validateAgainst(schema, inputs) : {}), [open, ready, schema, inputs]);
  const hasForm = Boolean(schema?.properties && Object.keys(schema.properties).length);
  const invalid = Object.keys(errors).length > 0;
  const checking = Boolean(schema) && !ready;
  const submit = async () => {
    if (invalid || checking || busy) return;
    setBusy(true);
    lastInputs.set(workflowId, inputs);
    const ok = await startRun(inputs, pins.filter((p) => pinnableIds.includes(p)));
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Dialog
      title="Run workflow"
      open={open}
      onClose={onClose}
      testId="run-dialog"
      footer={
        <>
          {hasForm && (
            <button type="button" className="btn btn-ghost" onClick={() => setRaw(!raw)}>
              {raw ? 'Use the form' : 'Edit as JSON'}
            </button>
          )}
          <span style={{ flex: 1 }} />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={invalid || checking || busy} onClick={() => void submit()} data-testid="start-run">
            {busy ? <span className="spinner" /> : <Play size={14} />} Run
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="muted" style={{ marginTop: 0 }}>
          A test run of the canvas as it is: nothing is published (publish a version when you mean it).
        </p>
        {pinnableIds.length > 0 && (
          <fieldset className="field pin-choices" data-testid="pin-choices">
            <legend className="field-label">Reuse outputs from the run on the canvas (not executed again)</legend>
            {pinnableIds.map((id) => (
              <label key={id} className="checkbox">
                <input type="checkbox" checked={pins.includes(id)} onChange={(e) => setPins((p) => (e.target.checked ? [...p, id] : p.filter((x) => x !== id)))} data-testid={`pin-${id}`} />
                <span className="mono">{id}</span>
              </label>
            ))}
          </fieldset>
        )}
        {hasForm && !raw ? (
          <PlainTextContext.Provider value>
            <SchemaForm idPrefix="inputs" schema={schema!} value={inputs} errors={errors} onChange={(next) => setInputs(next)} />
          </PlainTextContext.Provider>
        ) : (
          <div className="field">
            <label className="field-label" htmlFor="inputs-json">
              Inputs (JSON object)
            </label>
            <JsonField id="inputs-json" rows={8} value={inputs} onChange={(v) => setInputs(typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {})} />
            {invalid && <span className="field-error">{Object.entries(errors).map(([k, m]) => `${k || 'inputs'}: ${m}`).join('; ')}</span>}
          </div>
        )}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
