import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { matchesOf, type PiiMatch } from './kinds';

// Country code, check digits, then groups (printed form: groups of four split by single spaces).
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}(?![A-Za-z0-9])/g;

/**
 * IBANs: the country's length and format and the mod-97 check (ibantools). A candidate that
 * swallowed a following word ("… 3000 AND") is retried without its trailing groups.
 */
export function findIbans(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of matchesOf(CANDIDATE, text)) {
    let raw = m[0];
    // The next candidate starts after this one's first group, or after the IBAN found in it.
    CANDIDATE.lastIndex = m.index + 4;
    while (raw.length >= 15) {
      const compact = electronicFormatIBAN(raw);
      if (compact && isValidIBAN(compact)) {
        found.push({ kind: 'iban', start: m.index, end: m.index + raw.length });
        CANDIDATE.lastIndex = m.index + raw.length;
        break;
      }
      const cut = raw.lastIndexOf(' ');
      if (cut < 0) break;
      raw = raw.slice(0, cut);
    }
  }
  return found;
}
