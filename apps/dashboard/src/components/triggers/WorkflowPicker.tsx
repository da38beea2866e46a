'use client';
import type { Workflow } from '@weft/workflow-schema';

/** The workflow a new webhook or schedule starts (a select of the org's workflows). */
export function WorkflowPicker({ id, workflows, value, onChange, testId }: { id: string; workflows: Workflow[]; value: string; onChange(id: string): void; testId: string }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>Workflow</label>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)} required data-testid={testId}>
        <option value="" disabled>Pick a workflow…</option>
        {workflows.map((w) => <option key={w.id} value={w.id}>{w.name}{w.latestVersion ? '' : ' (not published)'}</option>)}
      </select>
    </div>
  );
}
