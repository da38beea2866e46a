import type { RunStatus, TriggerType } from '@weft/workflow-schema';

/** The time ranges the run list offers, newest first; `all` has no bound. */
export const TIME_RANGES = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', all: 'Any time' } as const;
export type TimeRangeKey = keyof typeof TIME_RANGES;
const RANGE_MS: Record<Exclude<TimeRangeKey, 'all'>, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

// Written out rather than read from the Zod enums, so that Zod stays out of the pages' bundle; the
// test beside this file checks they are the schema's.
export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const satisfies readonly RunStatus[];
export const TRIGGER_TYPES = ['api', 'manual', 'webhook', 'schedule', 'sub_workflow', 'retry'] as const satisfies readonly TriggerType[];
/** The statuses of a run that ended. */
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

const isOneOf = <T extends string>(list: readonly T[], v: string | null): v is T => v !== null && (list as readonly string[]).includes(v);

/** What the run list shows: the filters live in the page's URL, so a filtered list can be linked to. */
export interface RunFilters {
  workflowId?: string;
  status?: RunStatus;
  triggerType?: TriggerType;
  range: TimeRangeKey;
  /** Set by links from the home page ("today"): an exact lower bound that wins over `range`. */
  since?: string;
  /** Text searched in the runs' error messages (GET /v1/runs?q=, at least 3 characters). */
  q?: string;
}

/** The shortest error search the API takes. */
export const MIN_SEARCH = 3;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters of a URL's query; unknown values are dropped rather than sent to the API. */
export function parseFilters(params: URLSearchParams): RunFilters {
  const f: RunFilters = { range: 'all' };
  const wf = params.get('workflowId');
  if (wf && UUID.test(wf)) f.workflowId = wf;
  const status = params.get('status');
  if (isOneOf(RUN_STATUSES, status)) f.status = status;
  const trigger = params.get('triggerType');
  if (isOneOf(TRIGGER_TYPES, trigger)) f.triggerType = trigger;
  const range = params.get('range');
  if (range && range in TIME_RANGES) f.range = range as TimeRangeKey;
  const since = params.get('since');
  if (since && !Number.isNaN(Date.parse(since))) f.since = new Date(since).toISOString();
  const q = params.get('q')?.trim();
  if (q && q.length >= MIN_SEARCH) f.q = q.slice(0, 200);
  return f;
}

/** The URL query of the filters (empty values left out). */
export function filtersToSearch(f: RunFilters): string {
  const p = new URLSearchParams();
  if (f.workflowId) p.set('workflowId', f.workflowId);
  if (f.status) p.set('status', f.status);
  if (f.triggerType) p.set('triggerType', f.triggerType);
  if (f.range !== 'all') p.set('range', f.range);
  if (f.since) p.set('since', f.since);
  if (f.q) p.set('q', f.q);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The `GET /v1/runs` query of the filters at the time `now`. */
export function filtersToQuery(f: RunFilters, now: Date): { workflowId?: string; status?: string; triggerType?: string; since?: string; q?: string } {
  const since = f.since ?? (f.range === 'all' ? undefined : new Date(now.getTime() - RANGE_MS[f.range]).toISOString());
  return { ...(f.workflowId && { workflowId: f.workflowId }), ...(f.status && { status: f.status }), ...(f.triggerType && { triggerType: f.triggerType }), ...(since && { since }), ...(f.q && { q: f.q }) };
}

/** Local midnight of the day of `now`, as an ISO instant ("today" on the home page). */
export function startOfDay(now: Date): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}
