import { describe, expect, it } from 'vitest';
import { piiKindsOf, piiRedactor } from './pii-redaction';

describe('per-node PII settings', () => {
  const settings = { redact: ['email' as const, 'card' as const], nodes: { raw: { redact: false as const }, billing: { redact: ['iban' as const] } } };

  it('takes the node its own list, false for none, else the workflow list', () => {
    expect(piiKindsOf(settings, 'fetch')).toEqual(['email', 'card']);
    expect(piiKindsOf(settings, 'raw')).toEqual([]);
    expect(piiKindsOf(settings, 'billing')).toEqual(['iban']);
    expect(piiKindsOf(undefined, 'fetch')).toEqual([]);
  });

  it('redacts only the kinds of the node, and keeps values untouched without settings', () => {
    const value = { to: 'ada@example.com', iban: 'DE89370400440532013000' };
    expect(piiRedactor(settings, 'fetch')(value)).toEqual({ to: '[redacted:email]', iban: 'DE89370400440532013000' });
    expect(piiRedactor(settings, 'billing')(value)).toEqual({ to: 'ada@example.com', iban: '[redacted:iban]' });
    expect(piiRedactor(settings, 'raw')(value)).toBe(value);
    expect(piiRedactor(undefined, 'fetch')(value)).toBe(value);
  });
});
