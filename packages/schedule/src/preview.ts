import { localIso, offsetMinutes, offsetText, repeatedPass } from './offsets';
import type { CronSchedule } from './spec';

/** One upcoming fire as the preview lists it. */
export interface PreviewFire {
  /** The instant, UTC. */
  at: string;
  /** The same instant in the schedule's zone, with its offset. */
  local: string;
  utcOffset: string;
  /** Set when a DST change concerns this fire; null otherwise. */
  dst: null | {
    kind: 'spring_forward' | 'fall_back';
    /** The offset of the previous fire in the list (or of the preview's start for the first). */
    previousOffset: string;
    /** This fire was moved to the first valid instant after a wall time that does not exist. */
    shifted: boolean;
    /** This fire's wall time occurs twice on this day (which pass it is). */
    repeated: 'first' | 'second' | null;
    note: string;
  };
}

/** The next `count` fires after `from`, each with its local time and DST changes flagged. */
export function previewFires(schedule: CronSchedule, from: Date, count: number): PreviewFire[] {
  const tz = schedule.timezone;
  let previous = offsetMinutes(from, tz);
  return schedule.next(count, from).map((t) => {
    const offset = offsetMinutes(t, tz);
    const shifted = !schedule.matches(t);
    const repeated = repeatedPass(t, tz);
    const changed = offset !== previous;
    const fire: PreviewFire = { at: t.toISOString(), local: localIso(t, tz), utcOffset: offsetText(offset), dst: null };
    if (changed || shifted || repeated) {
      const kind = shifted || (changed && offset > previous) ? 'spring_forward' : 'fall_back';
      fire.dst = { kind, previousOffset: offsetText(previous), shifted, repeated, note: noteFor(kind, shifted, repeated, previous, offset) };
    }
    previous = offset;
    return fire;
  });
}

function noteFor(kind: 'spring_forward' | 'fall_back', shifted: boolean, repeated: 'first' | 'second' | null, before: number, after: number): string {
  if (shifted) return 'the scheduled wall time does not exist on this day (clocks spring forward): fires once, at the first valid instant after the gap';
  if (repeated === 'first') return 'this wall time occurs twice on this day (clocks fall back): this is the first pass';
  if (repeated === 'second') return 'this wall time occurs twice on this day (clocks fall back): an interval expression fires on the second pass too';
  return `the UTC offset changed from ${offsetText(before)} to ${offsetText(after)} (${kind === 'spring_forward' ? 'clocks sprang forward' : 'clocks fell back'}) since the previous fire`;
}
