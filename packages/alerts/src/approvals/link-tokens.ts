import { createHash, randomBytes } from 'node:crypto';

/**
 * Approve/reject link tokens: 32 random bytes (base64url, 43 characters). The server keeps only
 * their SHA-256, so a database read cannot act on a link, and a link is single-use and revocable
 * by its row. A random token needs no signing key: nothing about it can be forged without the row.
 */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export const hashLinkToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Whether a string has the shape of a link token (a mangled link is a 400, an unknown one a 404). */
export const isLinkToken = (s: string): boolean => LINK_TOKEN_PATTERN.test(s);
