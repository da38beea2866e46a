import { matchesOf, type PiiMatch } from './kinds';

// 13 to 19 digits, in one block or in groups split by single spaces or single hyphens (one separator kind).
const CANDIDATE = /(?<![\d.,-])\d(?:\d|[ -](?=\d)){11,22}\d(?![\d]|[.,-]\d)/g;

/** The Luhn (mod 10) check digit test. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and lengths of the card networks in use (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
export function knownIssuer(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) return n >= 14 && n <= 19; // Diners Club
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19; // Maestro
  return false;
}

/** Card numbers: a known issuer's prefix and length, and a valid Luhn check digit (a random 16-digit number is not one). */
export function findCards(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of matchesOf(CANDIDATE, text)) {
    const raw = m[0];
    const hasSpace = raw.includes(' ');
    if (hasSpace && raw.includes('-')) continue;
    const digits = raw.replace(/[ -]/g, '');
    if (digits.length < 12 || digits.length > 19) continue;
    if (!knownIssuer(digits) || !luhnValid(digits)) continue;
    found.push({ kind: 'card', start: m.index, end: m.index + raw.length });
  }
  return found;
}
