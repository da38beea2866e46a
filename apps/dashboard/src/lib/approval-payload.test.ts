import { describe, expect, it } from 'vitest';
import { parsePayload } from './approval-payload';

describe('the approval payload field', () => {
  it('sends nothing when empty, and any JSON value as typed', () => {
    expect(parsePayload('')).toEqual({ ok: true });
    expect(parsePayload('  \n ')).toEqual({ ok: true });
    expect(parsePayload('{"reason": "looks fine", "amount": 12}')).toEqual({ ok: true, payload: { reason: 'looks fine', amount: 12 } });
    expect(parsePayload('false')).toEqual({ ok: true, payload: false });
  });

  it('says what is wrong with text that is not JSON', () => {
    const r = parsePayload("{reason: 'x'}");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^The payload is not valid JSON: .+ leave it empty\.$/);
  });
});
