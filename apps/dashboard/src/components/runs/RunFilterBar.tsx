'use client';
import type { Workflow } from '@weft/workflow-schema';
import { RUN_STATUSES, TIME_RANGES, TRIGGER_TYPES, type RunFilters, type TimeRangeKey } from '../../lib/run-filters';

/** The run list's filters: workflow, status, trigger type, time range. */
export function RunFilterBar({ filters, workflows, onChange }: { filters: RunFilters; workflows: Workflow[]; onChange: (f: RunFilters) => void }) {
  const set = (patch: Partial<RunFilters>) => onChange({ ...filters, ...patch });
  return (
    <div className="filters" role="group" aria-label="Filters">
      <label>
        <span>Workflow</span>
        <select className="select" value={filters.workflowId ?? ''} onChange={(e) => set({ workflowId: e.target.value || undefined })} data-testid="filter-workflow">
          <option value="">All workflows</option>
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Status</span>
        <select className="select" value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as RunFilters['status'] })} data-testid="filter-status">
          <option value="">Any status</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Trigger</span>
        <select className="select" value={filters.triggerType ?? ''} onChange={(e) => set({ triggerType: (e.target.value || undefined) as RunFilters['triggerType'] })} data-testid="filter-trigger">
          <option value="">Any trigger</option>
          {TRIGGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {t.replace('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Created</span>
        <select className="select" value={filters.since ? 'since' : filters.range} onChange={(e) => set({ range: e.target.value as TimeRangeKey, since: undefined })} data-testid="filter-range">
          {filters.since && <option value="since">Since {new Date(filters.since).toLocaleString()}</option>}
          {Object.entries(TIME_RANGES).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
