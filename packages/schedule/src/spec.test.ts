import { describe, expect, it } from 'vitest';
import { CronSchedule, cronProblem, timezoneProblem } from './spec';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('cron expressions', () => {
  it('accepts 5 fields (minutes) and 6 fields (seconds first)', () => {
    expect(cronProblem('*/5 * * * *')).toBeUndefined();
    expect(cronProblem('*/10 * * * * *')).toBeUndefined();
    expect(iso(new CronSchedule('*/20 * * * * *', 'UTC').next(2, new Date('2026-01-01T00:00:00Z')))).toEqual(['2026-01-01T00:00:20.000Z', '2026-01-01T00:00:40.000Z']);
  });

  it('refuses other field counts, bad values, dates and expressions that never fire, saying why', () => {
    expect(cronProblem('* * * *')).toMatch(/has 4 fields/);
    expect(cronProblem('* * * * * * *')).toMatch(/has 7 fields/);
    expect(cronProblem('2030-01-01T00:00:00')).toMatch(/has 1 field:/);
    expect(cronProblem('61 * * * *')).toMatch(/minute: 61/);
    expect(cronProblem('0 0 30 2 *')).toMatch(/never fires/);
    expect(cronProblem('   ')).toMatch(/is empty/);
  });

  it('accepts IANA zones and refuses offsets and unknown names', () => {
    expect(timezoneProblem('Europe/Berlin')).toBeUndefined();
    expect(timezoneProblem('UTC')).toBeUndefined();
    expect(timezoneProblem('America/Argentina/Buenos_Aires')).toBeUndefined();
    expect(timezoneProblem('Mars/Olympus_Mons')).toMatch(/not a known IANA time zone/);
    expect(timezoneProblem('+02:00')).toMatch(/not an IANA time zone name/);
    expect(timezoneProblem('')).toMatch(/not an IANA time zone name/);
  });

  it('lists fires in a window, both ends included', () => {
    const s = new CronSchedule('*/10 * * * * *', 'UTC');
    expect(iso(s.between(new Date('2026-01-01T00:00:10Z'), new Date('2026-01-01T00:00:30Z'), 10))).toEqual([
      '2026-01-01T00:00:10.000Z', '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:30.000Z',
    ]);
    expect(iso(s.between(new Date('2026-01-01T00:00:10Z'), new Date('2026-01-01T00:00:30Z'), 2))).toHaveLength(2);
  });
});

describe('DST in Europe/Berlin (2026: spring forward on March 29 at 02:00, fall back on October 25 at 03:00)', () => {
  it('a daily 02:30 fires once at 03:00 CEST on the spring-forward day (the first valid instant after the gap)', () => {
    const s = new CronSchedule('30 2 * * *', 'Europe/Berlin');
    expect(iso(s.next(3, new Date('2026-03-28T00:00:00Z')))).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('a daily 02:30 fires once on the fall-back day, at the first pass', () => {
    const s = new CronSchedule('30 2 * * *', 'Europe/Berlin');
    expect(iso(s.next(3, new Date('2026-10-24T00:00:00Z')))).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('a list of hours (30 2,14 * * *) is a fixed time too: once at fall back', () => {
    const s = new CronSchedule('30 2,14 * * *', 'Europe/Berlin');
    expect(iso(s.next(3, new Date('2026-10-24T23:00:00Z')))).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T13:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('an hourly expression skips the missing hour and keeps its rhythm through the repeated one', () => {
    const s = new CronSchedule('30 * * * *', 'Europe/Berlin');
    expect(iso(s.next(3, new Date('2026-03-29T00:00:00Z')))).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00.000Z']);
    expect(iso(s.next(3, new Date('2026-10-25T00:00:00Z')))).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-25T02:30:00.000Z']);
  });
});
