import { describe, expect, it } from 'vitest';
import { expiresAtOf, expiryLabel } from './expiry';

const now = new Date('2026-12-05T10:00:00Z');

describe('expiresAtOf', () => {
  it('sends no expiry for "never"', () => {
    expect(expiresAtOf('never', '', now)).toEqual({});
  });

  it('counts a duration in days from now', () => {
    expect(expiresAtOf('30', '', now)).toEqual({ expiresAt: '2027-01-04T10:00:00.000Z' });
  });

  it('ends a picked date at the end of that day and refuses a past or missing one', () => {
    const { expiresAt } = expiresAtOf('date', '2027-03-01', now);
    expect(new Date(expiresAt!).getDate()).toBe(1);
    expect(new Date(expiresAt!).getHours()).toBe(23);
    expect(expiresAtOf('date', '2020-01-01', now)).toEqual({ error: 'The date must be in the future' });
    expect(expiresAtOf('date', '', now)).toEqual({ error: 'Pick a date' });
  });
});

describe('expiryLabel', () => {
  it('says never, expired, or when', () => {
    expect(expiryLabel(null, now)).toBe('Never');
    expect(expiryLabel('2026-12-01T00:00:00Z', now)).toBe('Expired');
    expect(expiryLabel('2027-01-01T00:00:00Z', now)).not.toMatch(/Never|Expired/);
  });
});
