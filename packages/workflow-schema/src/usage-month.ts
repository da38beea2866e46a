// No Zod here: browser bundles that import only these (the dashboard's usage card) stay free of it
// (Zod's eval probe trips the apps' Content Security Policy).

/**
 * The one definition of a usage month (billing's quotas and invoices, GET /v1/usage, the
 * dashboard's "usage this month"): a UTC calendar month.
 */
export const utcDay = (t: Date): string => t.toISOString().slice(0, 10);

/** The first instant of the UTC month `offset` months from `t`'s, and of the month after it. */
export function utcMonth(t: Date, offset = 0): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + offset, 1)), end: new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + offset + 1, 1)) };
}

/**
 * The UTC days (both included, GET /v1/usage's `from` and `to`) of the month `offset` months from
 * `now`'s: the current month so far (offset 0: up to today) or a whole earlier month (offset < 0).
 */
export function utcMonthDays(now: Date, offset = 0): { from: string; to: string } {
  const m = utcMonth(now, offset);
  return { from: utcDay(m.start), to: offset >= 0 ? utcDay(now) : utcDay(new Date(m.end.getTime() - 86_400_000)) };
}
