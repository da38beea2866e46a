import type { CatchupPolicy } from './policies';
import type { CronSchedule } from './spec';

export interface CatchupLimits {
  /** A fire less late than this is on time and always starts; older ones were missed (downtime). */
  misfireGraceMs: number;
  /** `all` replays missed fires no older than this. */
  windowMs: number;
  /** `all` replays at most this many missed fires (the newest ones). */
  maxFires: number;
}

export interface FirePlan {
  /** Nominal times to fire now, oldest first. */
  fire: Date[];
  /** Missed nominal times that the catch-up policy drops (a count; at least this many when large). */
  dropped: number;
  /** The next nominal time after `now`, or null when the expression never fires again. */
  next: Date | null;
}

/**
 * Which nominal times are due at `now` for a schedule whose first unhandled one is `nextRunAt`:
 * every fire in [nextRunAt, now] at most `misfireGraceMs` late starts; of the older ones (missed
 * while nothing ticked) `skip` starts none, `latest` starts the newest one when no fire is on
 * time, `all` starts those within `windowMs`, at most `maxFires` (the newest). Pure: no clock.
 */
export function planFires(schedule: CronSchedule, nextRunAt: Date, now: Date, catchup: CatchupPolicy, limits: CatchupLimits): FirePlan {
  const next = schedule.after(now);
  if (nextRunAt > now) return { fire: [], dropped: 0, next: nextRunAt };
  const onTimeFrom = new Date(Math.max(nextRunAt.getTime(), now.getTime() - limits.misfireGraceMs));
  // Bounded by the grace: a cron fires at most once a second.
  const onTime = schedule.between(onTimeFrom, now, Math.ceil(limits.misfireGraceMs / 1000) + 2);
  const missedCount = (cap: number) => schedule.before(onTimeFrom, cap).filter((t) => t >= nextRunAt).length;
  let missed: Date[] = [];
  if (catchup === 'latest' && onTime.length === 0) missed = schedule.before(onTimeFrom, 1).filter((t) => t >= nextRunAt);
  if (catchup === 'all') {
    const lower = Math.max(nextRunAt.getTime(), now.getTime() - limits.windowMs);
    missed = schedule.before(onTimeFrom, limits.maxFires).filter((t) => t.getTime() >= lower).reverse();
  }
  const dropped = Math.max(0, missedCount(limits.maxFires + 1) - missed.length);
  return { fire: [...missed, ...onTime], dropped, next };
}
