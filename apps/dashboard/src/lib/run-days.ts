import type { RunStatus } from '@weft/workflow-schema';
import { RUN_STATUSES } from './run-filters';

/** One local day of the home page's "last days" chart: its label and its bounds (ISO instants). */
export interface DayRange {
  /** The local date, YYYY-MM-DD. */
  day: string;
  since: string;
  until: string;
}

/** One day's runs by status, as the home page's stacked bars draw them. */
export interface DayCounts extends DayRange {
  counts: Record<RunStatus, number>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The `n` local days ending with today's, oldest first (daylight-saving days are 23 or 25 hours long). */
export function lastDays(now: Date, n: number): DayRange[] {
  return Array.from({ length: n }, (_, i) => {
    const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (n - 1 - i));
    const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
    return { day: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`, since: start.toISOString(), until: end.toISOString() };
  });
}

/** Runs of a day over all statuses. */
export const dayTotal = (counts: Record<RunStatus, number>) => RUN_STATUSES.reduce((t, s) => t + counts[s], 0);

/** Per-day success rate (succeeded over finished, 0–1), null on a day where nothing finished. */
export function successRates(daily: readonly { succeeded: number; failed: number }[]): (number | null)[] {
  return daily.map((d) => (d.succeeded + d.failed ? d.succeeded / (d.succeeded + d.failed) : null));
}
