'use client';
import type { Schedule, Workflow } from '@weft/workflow-schema';
import { useState } from 'react';
import { api, issuesMessage } from '../../lib/api';
import { useAction } from '../../lib/use-action';
import { CronPreview } from './CronPreview';
import { WorkflowPicker } from './WorkflowPicker';

/** IANA zones the browser knows, for the zone field's suggestions. */
const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A new schedule: workflow, cron expression and IANA zone, with the API's preview of the next runs as you type. */
export function ScheduleForm({ workflows, workflowId: fixed, onCreated }: { workflows: Workflow[]; workflowId?: string; onCreated(s: Schedule): void | Promise<void> }) {
  const [workflowId, setWorkflowId] = useState(fixed ?? '');
  const [cron, setCron] = useState('0 9 * * 1-5');
  const [timezone, setTimezone] = useState(browserZone);
  const { busy, error, run } = useAction(undefined, (err) => issuesMessage(err, /^body\./));
  const submit = () => run(async () => onCreated(await api.createSchedule(workflowId, { cron, timezone })));
  return (
    <form className="stack-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="schedule-form">
      <div className="form-grid">
        {!fixed && <WorkflowPicker id="schedule-workflow" workflows={workflows} value={workflowId} onChange={setWorkflowId} testId="schedule-workflow" />}
        <div className="field">
          <label className="field-label" htmlFor="schedule-cron">Cron expression</label>
          <input id="schedule-cron" className="input mono" value={cron} onChange={(e) => setCron(e.target.value)} required aria-describedby="schedule-cron-help" data-testid="schedule-cron" />
          <span className="field-help small muted" id="schedule-cron-help">minute hour day month weekday (a 6th leading field: seconds)</span>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="schedule-zone">Time zone</label>
          <input id="schedule-zone" className="input" list="schedule-zones" value={timezone} onChange={(e) => setTimezone(e.target.value)} required data-testid="schedule-timezone" />
          <datalist id="schedule-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
        </div>
      </div>
      <CronPreview cron={cron} timezone={timezone} />
      {error && <p className="error-note" role="alert">{error}</p>}
      <div><button type="submit" className="btn btn-primary btn-sm" disabled={busy || !workflowId} data-testid="schedule-create">Create schedule</button></div>
    </form>
  );
}
