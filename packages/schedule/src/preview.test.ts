import { describe, expect, it } from 'vitest';
import { previewFires } from './preview';
import { CronSchedule } from './spec';

describe('the preview of upcoming fires', () => {
  it('flags the spring-forward day in Europe/Berlin: 02:30 moved to 03:00 CEST, offset +01:00 → +02:00', () => {
    const fires = previewFires(new CronSchedule('30 2 * * *', 'Europe/Berlin'), new Date('2026-03-27T12:00:00Z'), 4);
    expect(fires.map((f) => f.local)).toEqual(['2026-03-28T02:30:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-30T02:30:00+02:00', '2026-03-31T02:30:00+02:00']);
    expect(fires[0]!.dst).toBeNull();
    expect(fires[1]!.dst).toMatchObject({ kind: 'spring_forward', previousOffset: '+01:00', shifted: true, repeated: null });
    expect(fires[1]!.utcOffset).toBe('+02:00');
    expect(fires[2]!.dst).toBeNull();
  });

  it('flags the fall-back day: a daily 02:30 fires on the first pass only, then the offset is +01:00', () => {
    const fires = previewFires(new CronSchedule('30 2 * * *', 'Europe/Berlin'), new Date('2026-10-24T12:00:00Z'), 3);
    expect(fires.map((f) => f.at)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
    expect(fires[0]!.dst).toMatchObject({ kind: 'fall_back', shifted: false, repeated: 'first' });
    expect(fires[1]!.dst).toMatchObject({ kind: 'fall_back', previousOffset: '+02:00', shifted: false, repeated: null });
    expect(fires[1]!.local).toBe('2026-10-26T02:30:00+01:00');
    expect(fires[2]!.dst).toBeNull();
  });

  it('shows both passes of the repeated hour for an hourly expression', () => {
    const fires = previewFires(new CronSchedule('30 * * * *', 'Europe/Berlin'), new Date('2026-10-24T23:45:00Z'), 3);
    expect(fires.map((f) => f.local)).toEqual(['2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00', '2026-10-25T03:30:00+01:00']);
    expect(fires.map((f) => f.dst?.repeated ?? null)).toEqual(['first', 'second', null]);
  });

  it('flags nothing in a zone without DST', () => {
    const fires = previewFires(new CronSchedule('0 9 * * MON-FRI', 'UTC'), new Date('2026-03-27T12:00:00Z'), 5);
    expect(fires.every((f) => f.dst === null && f.utcOffset === '+00:00')).toBe(true);
  });
});
