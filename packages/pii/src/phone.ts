import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import type { PiiMatch } from './kinds';

/** Regions whose national formats are recognised without a `+` (international numbers are found whatever the region). */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR'];

/** North American numbers are written without a trunk prefix; the others' national forms start with 0. */
const NO_TRUNK_PREFIX = new Set<CountryCode>(['US', 'CA']);
/** (415) 555-2671, 415-555-2671, 415 555 2671, 1-415-555-2671. */
const NANP_WRITTEN = /^(?:1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}$/;

/**
 * Whether a number libphonenumber found reads as one written as a phone number, not an id that
 * happens to fit a numbering plan: international (`+`), or grouped the way people write numbers
 * (no bare block of digits, no decimal point), with the trunk prefix 0 outside North America.
 */
function writtenAsPhone(raw: string, before: string, region: CountryCode): boolean {
  // Glued to a word ("ORD-2024-000123"): part of an id.
  if (/[A-Za-z0-9_/-]/.test(before)) return false;
  if (raw.startsWith('+')) return true;
  if (!/[\s()-]/.test(raw) || /\d\.\d$/.test(raw)) return false;
  return NO_TRUNK_PREFIX.has(region) ? NANP_WRITTEN.test(raw) : /^\(?0/.test(raw);
}


/**
 * Phone numbers, validated against each region's numbering plan (Google's libphonenumber
 * metadata): E.164 and international forms, and the national forms of `regions`.
 */
export function findPhones(text: string, regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS): PiiMatch[] {
  if (!/\d{2}/.test(text)) return [];
  const found: PiiMatch[] = [];
  for (const region of regions) {
    for (const n of findPhoneNumbersInText(text, { defaultCountry: region })) {
      if (writtenAsPhone(text.slice(n.startsAt, n.endsAt), text.charAt(n.startsAt - 1), region)) found.push({ kind: 'phone', start: n.startsAt, end: n.endsAt });
    }
  }
  return found;
}
