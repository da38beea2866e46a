'use client';
import type { Workflow } from '@weft/workflow-schema';
import { Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import { MIN_SEARCH, RUN_STATUSES, TIME_RANGES, TRIGGER_TYPES, type RunFilters, type TimeRangeKey } from '../../lib/run-filters';

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

/** Free text over the error messages, applied on Enter (or cleared), not at every key. */
function ErrorSearch({ value, onChange }: { value: string; onChange: (q: string | undefined) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const short = text.trim().length > 0 && text.trim().length < MIN_SEARCH;
  return (
    <form role="search" className="error-search" onSubmit={(e) => { e.preventDefault(); if (!short) onChange(text.trim() || undefined); }}>
      <label>
        <span>Error message</span>
        <span className="search-box">
          <Search size={14} aria-hidden />
          <input type="search" className="input" value={text} placeholder="timed out, 503, ECONNREFUSED…" aria-describedby="error-search-hint" data-testid="filter-q"
            onChange={(e) => { setText(e.target.value); if (!e.target.value) onChange(undefined); }} />
        </span>
      </label>
      <span id="error-search-hint" className="small muted">{short ? `At least ${MIN_SEARCH} characters.` : 'Enter to search.'}</span>
    </form>
  );
}

/** The run list's filters: workflow, status, trigger type, time range, error text. */
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
      <ErrorSearch value={filters.q ?? ''} onChange={(q) => set({ q })} />
    </div>
  );
}
