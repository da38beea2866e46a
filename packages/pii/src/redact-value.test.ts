import { describe, expect, it } from 'vitest';
import { redactValue } from './index';

describe('redactValue', () => {
  it('redacts strings at any depth, keys included, and card numbers stored as numbers', () => {
    const value = {
      customer: { email: 'ada@example.com', phones: ['+14155552671'], note: 'nothing here', age: 36 },
      'bob@example.org': { card: 4111111111111111, orderId: 123456789012 },
      ok: true,
      none: null,
    };
    expect(redactValue(value)).toEqual({
      customer: { email: '[redacted:email]', phones: ['[redacted:phone]'], note: 'nothing here', age: 36 },
      '[redacted:email]': { card: '[redacted:card]', orderId: 123456789012 },
      ok: true,
      none: null,
    });
    expect(value.customer.email).toBe('ada@example.com');
  });

  it('keeps both entries when two keys redact to the same mark', () => {
    expect(redactValue({ 'a@example.com': 1, 'b@example.com': 2 })).toEqual({ '[redacted:email]': 1, '[redacted:email] #2': 2 });
  });

  it('walks very deep values without recursion', () => {
    let deep: unknown = 'ada@example.com';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let out = redactValue(deep);
    for (let i = 0; i < 100_000; i++) out = (out as unknown[])[0];
    expect(out).toBe('[redacted:email]');
  });
});
