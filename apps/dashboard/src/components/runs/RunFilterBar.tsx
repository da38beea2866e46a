'use client';
import type { Workflow } from '@weft/workflow-schema';
import { RUN_STATUSES, TIME_RANGES, TRIGGER_TYPES, type RunFilters, type TimeRangeKey } from '../../lib/run-filters';

/** One labelled filter: "any" (empty) or one of the options. */
function Filter({ label, any, value, options, onChange, testId }: { label: string; any?: string; value: string; options: [string, string][]; onChange: (v: string) => void; testId: string }) {
  return (
    <label>
      <span>{label}</span>
      <select className="select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {any && <option value="">{any}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The run list's filters: workflow, status, trigger type, time range. */
export function RunFilterBar({ filters, workflows, onChange }: { filters: RunFilters; workflows: Workflow[]; onChange: (f: RunFilters) => void }) {
  const set = (patch: Partial<RunFilters>) => onChange({ ...filters, ...patch });
  const ranges: [string, string][] = Object.entries(TIME_RANGES);
  if (filters.since) ranges.unshift(['since', `Since ${new Date(filters.since).toLocaleString()}`]);
  return (
    <div className="filters" role="group" aria-label="Filters">
      <Filter label="Workflow" any="All workflows" value={filters.workflowId ?? ''} options={workflows.map((w) => [w.id, w.name])} onChange={(v) => set({ workflowId: v || undefined })} testId="filter-workflow" />
      <Filter label="Status" any="Any status" value={filters.status ?? ''} options={RUN_STATUSES.map((s) => [s, s])} onChange={(v) => set({ status: (v || undefined) as RunFilters['status'] })} testId="filter-status" />
      <Filter label="Trigger" any="Any trigger" value={filters.triggerType ?? ''} options={TRIGGER_TYPES.map((t) => [t, t.replace('_', ' ')])} onChange={(v) => set({ triggerType: (v || undefined) as RunFilters['triggerType'] })} testId="filter-trigger" />
      <Filter label="Created" value={filters.since ? 'since' : filters.range} options={ranges} onChange={(v) => set({ range: v as TimeRangeKey, since: undefined })} testId="filter-range" />
    </div>
  );
}
