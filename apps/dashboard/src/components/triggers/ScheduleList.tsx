'use client';
import type { Workflow } from '@weft/workflow-schema';
import Link from 'next/link';
import { api } from '../../lib/api';
import { when } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { usePage } from '../../lib/use-page';
import { ConfirmButton } from '../ConfirmButton';
import { EmptyState, ErrorNote } from '../EmptyState';
import { ScheduleForm } from './ScheduleForm';
import { ToggleSwitch } from './ToggleSwitch';

/** Schedules of the org (or of one workflow): cron, zone, next runs, last run, on/off, delete; and a form for a new one. */
export function ScheduleList({ workflows, workflowId }: { workflows: Workflow[]; workflowId?: string }) {
  const { items, error, reload } = usePage(() => api.listOrgSchedules({ limit: 200, ...(workflowId ? { workflowId } : {}) }));
  const { error: actionError, run: act } = useAction(reload);
  const names = new Map(workflows.map((w) => [w.id, w.name]));
  return (
    <>
      <ErrorNote message={error ?? actionError} />
      <details className="card create-card">
        <summary>New schedule</summary>
        <ScheduleForm workflows={workflows} {...(workflowId ? { workflowId } : {})} onCreated={() => reload()} />
      </details>
      {items?.length === 0 && (
        <EmptyState title="No schedules yet" testId="schedules-empty">
          Open <strong>New schedule</strong> above to create one: a cron expression in a time zone starts the workflow’s latest published version at each time, once.
        </EmptyState>
      )}
      {!!items?.length && (
        <table className="table" data-testid="schedule-table">
          <thead>
            <tr>{!workflowId && <th scope="col">Workflow</th>}<th scope="col">Cron</th><th scope="col">Time zone</th><th scope="col">Next runs</th><th scope="col">Last run</th><th scope="col">Enabled</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid="schedule-row" data-workflow={s.workflowId}>
                {!workflowId && <td><Link href={`/workflows/${s.workflowId}`}>{names.get(s.workflowId) ?? s.workflowId}</Link></td>}
                <td className="mono">{s.cron}</td>
                <td>{s.timezone}</td>
                <td data-testid="schedule-next">{s.nextRuns.length ? <ol className="fires">{s.nextRuns.slice(0, 3).map((t) => <li key={t}>{when(t)}</li>)}</ol> : <span className="muted">— (disabled)</span>}</td>
                <td>{when(s.lastRunAt)}</td>
                <td><ToggleSwitch on={s.enabled} label={`Schedule ${s.cron} ${s.timezone}`} onToggle={() => act(() => api.updateSchedule(s.id, { enabled: !s.enabled }))} testId="schedule-enabled" /></td>
                <td><ConfirmButton label="Delete" confirm="Delete this schedule? Its runs stay." onConfirm={() => act(() => api.deleteSchedule(s.id))} testId="schedule-delete" /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
