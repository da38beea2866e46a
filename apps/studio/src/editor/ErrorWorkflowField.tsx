'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { useEditor } from './store';

/**
 * `settings.errorWorkflowId`: a workflow of the org started with the failed run's summary when a
 * run of this one fails. Picked from the org's workflows (the first 100; an id set by import that
 * is not among them is kept and shown as it is).
 */
export function ErrorWorkflowField() {
  const settings = useEditor((s) => s.settings);
  const self = useEditor((s) => s.workflowId);
  const setSettings = useEditor((s) => s.setSettings);
  const [workflows, setWorkflows] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    let live = true;
    api.listWorkflows({ limit: 100 }).then(
      (page) => live && setWorkflows(page.items.map((w) => ({ id: w.id, name: w.name }))),
      () => undefined, // the field still shows the id set, and None
    );
    return () => {
      live = false;
    };
  }, []);
  const value = settings.errorWorkflowId ?? '';
  const known = value === '' || workflows.some((w) => w.id === value);
  return (
    <div className="field" data-field="errorWorkflowId">
      <label className="field-label" htmlFor="settings-errorWorkflowId">
        Error workflow
      </label>
      <select
        id="settings-errorWorkflowId"
        className="select"
        value={value}
        aria-describedby="settings-errorWorkflowId-help"
        onChange={(e) => {
          const { errorWorkflowId: _, ...rest } = settings;
          setSettings(e.target.value ? { ...rest, errorWorkflowId: e.target.value } : rest);
        }}
      >
        <option value="">None</option>
        {!known && <option value={value}>{value}</option>}
        {workflows.map((w) => (
          <option key={w.id} value={w.id}>
            {w.id === self ? `${w.name} (this workflow)` : w.name}
          </option>
        ))}
      </select>
      <span className="field-help" id="settings-errorWorkflowId-help">
        Started (its latest published version) when a run fails, with the failed run’s summary as inputs: runId, workflowId, workflowVersionId, error, failedNodeId, startedAt, finishedAt.
      </span>
    </div>
  );
}
