import { describe, expect, it } from 'vitest';
import { findPii, luhnValid, redactText, type PiiKind } from './index';

const kindsIn = (text: string) => findPii(text).map((m) => [m.kind, text.slice(m.start, m.end)]);
const only = (kind: PiiKind, text: string) => findPii(text, { kinds: [kind] }).map((m) => text.slice(m.start, m.end));

describe('emails', () => {
  it('finds addresses inside text, with plus tags, subdomains and quotes around them', () => {
    expect(only('email', 'write to "ada.lovelace+weft@mail.example.co.uk", or bob@example.org.')).toEqual(['ada.lovelace+weft@mail.example.co.uk', 'bob@example.org']);
  });
  it('does not take handles, versions or a bare @', () => {
    expect(only('email', '@weft on social, pkg@1.2.3, user@localhost, a @ b.com')).toEqual([]);
  });
});

describe('phone numbers', () => {
  it('finds E.164, international and national forms', () => {
    expect(only('phone', 'call +14155552671 or +44 20 7946 0958')).toEqual(['+14155552671', '+44 20 7946 0958']);
    expect(only('phone', 'office (415) 555-2671, London 020 7946 0958, Berlin 030 901820')).toEqual(['(415) 555-2671', '020 7946 0958', '030 901820']);
  });
  it('does not take order ids, timestamps, dates, amounts or version numbers', () => {
    const text = 'order ORD-2024-000123 at 1733390000 (2024-12-05T10:15:30.123Z), total 1234.56, build 20241205.1, id 00001234, sku 4155552671';
    expect(only('phone', text)).toEqual([]);
  });
});

describe('card numbers', () => {
  it('finds numbers of known issuers with a valid Luhn digit, as one block or grouped', () => {
    const text = 'visa 4111111111111111, mc 5555 5555 5555 4444, amex 3782-822463-10005, discover 6011000990139424';
    expect(only('card', text)).toEqual(['4111111111111111', '5555 5555 5555 4444', '3782-822463-10005', '6011000990139424']);
  });
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
  it('does not take 16-digit numbers failing Luhn, unknown issuers, millisecond timestamps, decimals or mixed separators', () => {
    // 4111111111111112 fails Luhn; 1234567812345670 passes Luhn but no issuer starts with 1; 1733390000123: ms timestamp.
    const text = 'ref 4111111111111112, trace 1234567812345670, ts 1733390000123, amount 4111111111111111.50, x 4111 1111-1111 1111';
    expect(only('card', text)).toEqual([]);
  });
  it('does not take a longer run of digits that contains a valid card number', () => {
    expect(only('card', 'id 94111111111111111123')).toEqual([]);
  });
});

describe('IBANs', () => {
  it('finds compact and printed IBANs that pass the mod-97 check', () => {
    const text = 'pay DE89370400440532013000 or GB82 WEST 1234 5698 7654 32 AND FR14 2004 1010 0505 0001 3M02 606 today';
    expect(only('iban', text)).toEqual(['DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'FR14 2004 1010 0505 0001 3M02 606']);
  });
  it('does not take IBAN-shaped strings failing mod-97 or the country length', () => {
    expect(only('iban', 'DE89370400440532013001 GB82WEST1234569876543 SKU AB12CDEF34567890')).toEqual([]);
  });
});

describe('national ids', () => {
  it('finds US SSNs and UK National Insurance numbers', () => {
    expect(only('national_id', 'ssn 123-45-6789, nino JG 12 34 56 C and AB123456D')).toEqual(['123-45-6789', 'JG 12 34 56 C', 'AB123456D']);
  });
  it('does not take invalid SSN areas, dates, bare nine digits or invalid NINO prefixes', () => {
    expect(only('national_id', '000-12-3456 666-12-3456 912-34-5678 123-00-4567 2024-12-05 123456789 GB123456A DA123456A QQ123456C 123-45-6789-0')).toEqual([]);
  });
});

describe('findPii and redactText', () => {
  it('settles overlaps: a card number is not also a phone number', () => {
    expect(kindsIn('card 4111 1111 1111 1111 mail a@b.io')).toEqual([
      ['card', '4111 1111 1111 1111'],
      ['email', 'a@b.io'],
    ]);
  });
  it('replaces each finding with a mark naming its kind, and keeps everything else', () => {
    expect(redactText('Ada <ada@example.com>, +44 20 7946 0958, card 4111111111111111, order 42')).toBe(
      'Ada <[redacted:email]>, [redacted:phone], card [redacted:card], order 42',
    );
  });
  it('only looks for the kinds asked for', () => {
    expect(redactText('ada@example.com 4111111111111111', { kinds: ['card'] })).toBe('ada@example.com [redacted:card]');
  });
  it('stays linear on long adversarial text', () => {
    const text = `${'a'.repeat(200_000)}@ ${'1 '.repeat(50_000)} ${'A1'.repeat(50_000)}`;
    expect(findPii(text)).toEqual([]);
  });
});
