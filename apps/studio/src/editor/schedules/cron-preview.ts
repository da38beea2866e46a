import { CronSchedule, cronProblem, previewFires, timezoneProblem, type PreviewFire } from '@weft/schedule';

/** What the schedule form shows while the user types: the next fires, or why there are none. */
export type CronPreview = { ok: true; fires: PreviewFire[] } | { ok: false; field: 'cron' | 'timezone'; message: string };

/** The next `count` fires of `cron` in `timezone` after `from`, computed in the browser with the server's own rules. */
export function cronPreview(cron: string, timezone: string, from: Date, count = 5): CronPreview {
  const cronIssue = cronProblem(cron);
  if (cronIssue) return { ok: false, field: 'cron', message: `The cron expression ${cronIssue}` };
  const zoneIssue = timezoneProblem(timezone);
  if (zoneIssue) return { ok: false, field: 'timezone', message: `The time zone ${zoneIssue}` };
  return { ok: true, fires: previewFires(new CronSchedule(cron, timezone), from, count) };
}

/** Starting points for the cron field. */
export const CRON_PRESETS: readonly { label: string; cron: string }[] = [
  { label: 'Every minute', cron: '* * * * *' },
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Every day at 09:00', cron: '0 9 * * *' },
  { label: 'Weekdays at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Mondays at 08:00', cron: '0 8 * * 1' },
];

/** The browser's IANA zone, UTC when it has none. */
export function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every IANA zone the browser knows (for the picker), the given one included. */
export function knownTimezones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])];
}
