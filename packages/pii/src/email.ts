import { matchesOf, type PiiMatch } from './kinds';

// Bounded repetitions (RFC 5321 limits: local part 64, label 63): the scan stays linear whatever the text.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/** Addresses `local@domain.tld` (the top-level domain alphabetic, at least two letters). */
export function findEmails(text: string): PiiMatch[] {
  if (!text.includes('@')) return [];
  return [...matchesOf(EMAIL, text)].map((m) => ({ kind: 'email' as const, start: m.index, end: m.index + m[0].length }));
}
