import { createHmac } from 'node:crypto';
import { safeEqual } from './compare';
import { ACCEPTED, refused, type SignedRequest, type Verdict, type VerifyContext } from './types';

/** ±5 minutes, as the specification recommends. */
export const STANDARD_TOLERANCE_SECONDS = 300;
const PREFIX = 'whsec_';

/** The HMAC key of a `whsec_<base64>` secret (the base64 part, decoded). */
export function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for one secret. */
export function signStandard(secret: string, id: string, timestamp: number | string, body: Buffer | string): string {
  const mac = createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (seconds,
 * within ±5 min of now) and `webhook-signature`, one or more space-separated `v1,<base64>` entries;
 * any entry matching any of the hook's secrets verifies (both sides of a rotation).
 */
export function verifyStandard(req: SignedRequest, ctx: VerifyContext): Verdict {
  const id = req.headers['webhook-id'];
  const ts = req.headers['webhook-timestamp'];
  const header = req.headers['webhook-signature'];
  if (!id || !ts || !header) return refused('missing_signature', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d{1,12}$/.test(ts)) return refused('malformed_signature', 'webhook-timestamp must be whole seconds since the epoch');
  if (Math.abs(ctx.nowSeconds - Number(ts)) > STANDARD_TOLERANCE_SECONDS) return refused('timestamp_out_of_tolerance', 'webhook-timestamp is more than 5 minutes from now');
  const given = header
    .split(' ')
    .filter((e) => e.startsWith('v1,'))
    .map((e) => Buffer.from(e.slice(3), 'base64'));
  if (given.length === 0) return refused('malformed_signature', 'webhook-signature has no v1 entry');
  for (const secret of ctx.secrets) {
    const expected = Buffer.from(signStandard(secret, id, ts, req.rawBody).slice(3), 'base64');
    if (given.some((g) => safeEqual(g, expected))) return ACCEPTED;
  }
  return refused('invalid_signature', 'no webhook-signature entry matches');
}
