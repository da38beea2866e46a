import type { Step } from '@weft/workflow-schema';

/** One attempt on the timeline, in ms from the run's first instant. */
export interface TimelineBar {
  stepId: string;
  nodeId: string;
  attempt: number;
  status: Step['status'];
  /** Dispatched → a worker could take it (a retry's backoff); 0 long for a first attempt. */
  delay: [number, number] | null;
  /** Could be taken → a worker started it: time spent in the queue. */
  wait: [number, number] | null;
  /** Started → finished (or now, while it runs). */
  run: [number, number] | null;
}

export interface Timeline {
  /** The instant every offset counts from (ISO). */
  origin: string | null;
  /** The last offset on the chart (ms), at least 1. */
  span: number;
  bars: TimelineBar[];
}

const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/**
 * Every attempt of every step as bars on one time axis from the run's start: retry delay, queue
 * wait (available → started) and execution (started → finished; to `now` while it runs), in the
 * order the steps were created. Steps without times (pending, not reached) have no segments.
 */
export function timeline(run: { startedAt: string | null; createdAt: string; steps: Step[] }, now: number): Timeline {
  const starts = [at(run.createdAt), ...run.steps.map((s) => at(s.queuedAt) ?? at(s.startedAt))].filter((x): x is number => x !== null);
  if (!starts.length) return { origin: null, span: 1, bars: [] };
  const origin = Math.min(...starts);
  let end = origin + 1;
  const seg = (a: number | null, b: number | null): [number, number] | null => {
    if (a === null || b === null || b < a) return null;
    end = Math.max(end, b);
    return [a - origin, b - origin];
  };
  const bars = run.steps.map((s): TimelineBar => {
    const queued = at(s.queuedAt);
    const available = at(s.availableAt) ?? queued;
    const started = at(s.startedAt);
    const finished = at(s.finishedAt) ?? (started !== null && ['running', 'waiting'].includes(s.status) ? now : null);
    const delay = queued !== null && available !== null && available > queued ? seg(queued, available) : null;
    const waitEnd = started ?? (s.status === 'queued' ? now : null);
    return { stepId: s.id, nodeId: s.nodeId, attempt: s.attempt, status: s.status, delay, wait: seg(available, waitEnd), run: seg(started, finished) };
  });
  return { origin: new Date(origin).toISOString(), span: end - origin, bars };
}

/** Time spent in each kind of segment, summed over every attempt (ms): what the legend says. */
export function totals(t: Timeline): { delay: number; wait: number; run: number } {
  const len = (r: [number, number] | null) => (r ? r[1] - r[0] : 0);
  return t.bars.reduce((sum, b) => ({ delay: sum.delay + len(b.delay), wait: sum.wait + len(b.wait), run: sum.run + len(b.run) }), { delay: 0, wait: 0, run: 0 });
}

/** Ticks for an axis of `span` ms: about `count` round values (1, 2, 5 × 10^n ms). */
export function ticks(span: number, count = 5): number[] {
  const raw = span / count;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((m) => m >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}
