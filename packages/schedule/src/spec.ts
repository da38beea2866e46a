import { Cron } from 'croner';

/** The longest cron expression accepted (characters). */
export const MAX_CRON_LENGTH = 200;

/**
 * A schedule's cron expression in its IANA time zone, compiled once. Times are real instants
 * (Date, UTC); the expression is read in the zone's wall clock, DST included:
 * - fixed-time expressions (no wildcard or step in seconds, minutes, hours, e.g. `30 2 * * *`):
 *   a wall time that does not exist (spring forward) fires once at the first valid instant after
 *   the gap; a wall time that occurs twice (fall back) fires once, at its first occurrence;
 * - interval expressions (`*`, `*\/5`... in those fields): wall times in the gap are skipped, and the
 *   repeated hour fires on both passes (they are distinct instants: the rhythm stays regular).
 * This is Vixie cron's rule, as croner implements it (`fixedTimeRule: 'no-wildcard'`).
 */
export class CronSchedule {
  private readonly cron: Cron;

  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    const problem = cronProblem(expression) ?? timezoneProblem(timezone);
    if (problem) throw new Error(problem);
    this.cron = compile(expression, timezone);
  }

  /** The first fire strictly after `t`, or null when the expression never fires again. */
  after(t: Date): Date | null {
    return this.cron.nextRun(t);
  }

  /** Up to `n` fires strictly before `t`, newest first. */
  before(t: Date, n: number): Date[] {
    return this.cron.previousRuns(n, t);
  }

  /** Up to `n` fires strictly after `t`, in order. */
  next(n: number, t: Date): Date[] {
    return this.cron.nextRuns(n, t);
  }

  /** Every fire in [from, to] (both inclusive), in order, at most `limit`. */
  between(from: Date, to: Date, limit: number): Date[] {
    const out: Date[] = [];
    for (let t = this.after(new Date(from.getTime() - 1)); t && t <= to && out.length < limit; t = this.after(t)) out.push(t);
    return out;
  }

  /** Whether `t` is a time the expression names in the zone's wall clock (false for a time moved out of a DST gap). */
  matches(t: Date): boolean {
    return this.cron.match(t);
  }
}

function compile(expression: string, timezone: string): Cron {
  return new Cron(expression.trim(), { timezone, paused: true, mode: '5-or-6-parts', fixedTimeRule: 'no-wildcard' });
}

/** Why `expression` is not a usable 5- or 6-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (!text) return 'is empty: give 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)';
  if (text.length > MAX_CRON_LENGTH) return `is longer than ${MAX_CRON_LENGTH} characters`;
  const fields = text.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `has ${fields} field${fields === 1 ? '' : 's'}: give 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)`;
  let cron: Cron;
  try {
    cron = compile(text, 'UTC');
  } catch (err) {
    return `is not a valid cron expression: ${(err as Error).message.replace(/^CronPattern:\s*/, '')}`;
  }
  if (!cron.nextRun()) return 'never fires (no date matches it, e.g. February 30)';
  return undefined;
}

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Why `timezone` is not an IANA time zone name (e.g. `Europe/Berlin`, `UTC`), or undefined when it is. */
export function timezoneProblem(timezone: string): string | undefined {
  if (!ZONE_NAME.test(timezone) || timezone.length > 64) return `"${timezone.slice(0, 64)}" is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `"${timezone}" is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`;
  }
}
