'use client';
import type { Workflow } from '@weft/workflow-schema';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** Turns a workflow's triggers on or off (PATCH enabled): off, its webhooks, schedules and API runs start nothing. */
export function EnabledSwitch({ workflow, onChange }: { workflow: Workflow; onChange(w: Workflow): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await api.updateWorkflow(workflow.id, { enabled: !workflow.enabled }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={workflow.enabled}
        aria-label={`${workflow.name}: ${workflow.enabled ? 'enabled' : 'disabled'}`}
        className={`switch${workflow.enabled ? ' on' : ''}`}
        disabled={busy}
        onClick={() => void toggle()}
        title={workflow.enabled ? 'Enabled: its triggers start runs. Click to disable.' : 'Disabled: webhooks, schedules and API runs start nothing. Click to enable.'}
        data-testid="enabled-switch"
      >
        <span className="switch-knob" />
      </button>
      {error && <div className="field-error small" role="alert">{error}</div>}
    </>
  );
}
