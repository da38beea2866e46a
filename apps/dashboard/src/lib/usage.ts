/** The first instant of the month `offset` months from `now`'s (local time), ISO-8601. */
export function monthStart(now: Date, offset = 0): string {
  return new Date(now.getFullYear(), now.getMonth() + offset, 1).toISOString();
}

/** A duration for people: "850 ms", "12.4 s", "7 min 5 s", "3 h 12 min". */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Widths (0–100 %) of two bars on one scale: this month and the last. */
export function barPair(current: number, previous: number): [number, number] {
  const max = Math.max(current, previous);
  return max === 0 ? [0, 0] : [(current / max) * 100, (previous / max) * 100];
}
