import type { CountryCode } from 'libphonenumber-js/max';
import { findCards } from './card';
import { findEmails } from './email';
import { findIbans } from './iban';
import { PII_KINDS, type PiiKind, type PiiMatch } from './kinds';
import { findNationalIds } from './national-id';
import { findPhones } from './phone';

export interface FindOptions {
  /** The kinds to look for (default: all). */
  kinds?: readonly PiiKind[];
  /** Regions whose national phone formats count (default DEFAULT_PHONE_REGIONS). */
  phoneRegions?: readonly CountryCode[];
}

/**
 * Every finding of the chosen kinds, in text order, without overlaps: where two overlap the
 * earlier one is kept, the longer one at equal start (a card number is not also a phone number).
 */
export function findPii(text: string, o: FindOptions = {}): PiiMatch[] {
  const kinds = new Set(o.kinds ?? PII_KINDS);
  const all: PiiMatch[] = [];
  if (kinds.has('email')) all.push(...findEmails(text));
  if (kinds.has('card')) all.push(...findCards(text));
  if (kinds.has('iban')) all.push(...findIbans(text));
  if (kinds.has('national_id')) all.push(...findNationalIds(text));
  if (kinds.has('phone')) all.push(...findPhones(text, o.phoneRegions));
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiMatch[] = [];
  for (const m of all) {
    const last = kept.at(-1);
    if (!last || m.start >= last.end) kept.push(m);
  }
  return kept;
}

/** The marker a finding is replaced with. */
export const redactionMark = (kind: PiiKind) => `[redacted:${kind}]`;

/** `text` with every finding replaced by its mark. */
export function redactText(text: string, o: FindOptions = {}): string {
  const found = findPii(text, o);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of found) {
    out += text.slice(at, m.start) + redactionMark(m.kind);
    at = m.end;
  }
  return out + text.slice(at);
}
