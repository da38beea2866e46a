import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two byte strings. Lengths are public (a signature's length is fixed by
 * its scheme), so a length mismatch answers false at once; equal lengths compare every byte.
 */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
