'use client';
import type { Schedule } from '@weft/workflow-schema';
import { useCallback, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { useLoaded } from '../../lib/use-loaded';
import { useEditor } from '../store';
import { ScheduleForm } from './ScheduleForm';

/**
 * The workflow's cron schedules: each with its next fire, an on/off switch and delete; a form to
 * add one with the next fire times previewed as you type. Schedules start the latest published
 * version, so the server refuses one for a workflow never published (said in words here).
 */
export function SchedulesSection() {
  const workflowId = useEditor((s) => s.workflowId);
  const load = useCallback(async () => (await api.listSchedules(workflowId, { limit: 100 })).items, [workflowId]);
  const { data: schedules, setData: setSchedules, error, setError, reload } = useLoaded(load);
  const [adding, setAdding] = useState(false);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  // Shown at once; the list is read again from the server after the change (or the error).
  const toggle = (s: Schedule, enabled: boolean) => {
    setSchedules((list) => list?.map((x) => (x.id === s.id ? { ...x, enabled } : x)) ?? null);
    void act(() => api.updateSchedule(s.id, { enabled }));
  };

  return (
    <section aria-label="Schedules" data-testid="schedules">
      <h3 className="section-title">Schedules</h3>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {schedules?.length === 0 && !adding && <p className="muted">No schedule: this workflow runs when called by the API or from here.</p>}
      <ul className="schedule-list">
        {schedules?.map((s) => (
          <li key={s.id} className="schedule-item" data-testid={`schedule-${s.id}`}>
            <div>
              <span className="mono">{s.cron}</span> <span className="muted">({s.timezone})</span>
              <div className="muted schedule-next">{s.enabled ? (s.nextRunAt ? `Next: ${new Date(s.nextRunAt).toLocaleString()}` : 'Never fires again') : 'Paused'}</div>
            </div>
            <label className="schedule-toggle">
              <input type="checkbox" className="checkbox" checked={s.enabled} aria-label={`Schedule ${s.cron} enabled`} onChange={(e) => toggle(s, e.target.checked)} />
              On
            </label>
            <button type="button" className="btn btn-sm btn-ghost" aria-label={`Delete schedule ${s.cron}`} onClick={() => window.confirm(`Delete the schedule ${s.cron}?`) && void act(() => api.deleteSchedule(s.id))}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {adding ? (
        <ScheduleForm
          onCancel={() => setAdding(false)}
          onCreate={async (body) => {
            await api.createSchedule(workflowId, body);
            setAdding(false);
            await reload();
          }}
        />
      ) : (
        <button type="button" className="btn btn-sm" onClick={() => setAdding(true)} data-testid="add-schedule">
          Add schedule
        </button>
      )}
    </section>
  );
}
