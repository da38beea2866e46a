import { matchesOf, type PiiMatch } from './kinds';

// US Social Security number, written with its separators (a bare nine-digit number is too often something else):
// never area 000, 666 or 9xx, group 00 or serial 0000.
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])/g;
// UK National Insurance number: two prefix letters (not D, F, I, Q, U, V; not O second; not the unused pairs),
// six digits (optionally in pairs), suffix A to D.
const NINO = /(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g;

/** National identity numbers: US SSN, UK NINO. */
export function findNationalIds(text: string): PiiMatch[] {
  return [SSN, NINO].flatMap((re) => [...matchesOf(re, text)].map((m) => ({ kind: 'national_id' as const, start: m.index, end: m.index + m[0].length })));
}
