import { createHmac } from 'node:crypto';
import { safeEqual } from './compare';
import { ACCEPTED, refused, type SignedRequest, type Verdict, type VerifyContext } from './types';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as GitHub sends it in X-Hub-Signature-256. */
export function signGithub(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex>` over the raw body (GitHub signs no timestamp). */
export function verifyGithub(req: SignedRequest, ctx: VerifyContext): Verdict {
  const header = req.headers['x-hub-signature-256'];
  if (!header) return refused('missing_signature', 'X-Hub-Signature-256 is required');
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return refused('malformed_signature', 'X-Hub-Signature-256 must be sha256=<64 hex digits>');
  const given = Buffer.from(m[1]!.toLowerCase(), 'hex');
  for (const secret of ctx.secrets) {
    if (safeEqual(given, createHmac('sha256', secret).update(req.rawBody).digest())) return ACCEPTED;
  }
  return refused('invalid_signature', 'X-Hub-Signature-256 does not match');
}
