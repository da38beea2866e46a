import { createHmac } from 'node:crypto';
import { safeEqual } from './compare';
import { ACCEPTED, refused, type SignedRequest, type Verdict, type VerifyContext } from './types';

/** Stripe's default tolerance. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** `t=<ts>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe sends it in Stripe-Signature. */
export function signStripe(secret: string, timestamp: number, body: Buffer | string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=…][,v0=…]`, HMAC-SHA256 of `t.body` with the
 * endpoint's `whsec_…` secret used as is (as Stripe's libraries do), t within 300 s of now.
 */
export function verifyStripe(req: SignedRequest, ctx: VerifyContext): Verdict {
  const header = req.headers['stripe-signature'];
  if (!header) return refused('missing_signature', 'Stripe-Signature is required');
  let t: string | undefined;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') t = v;
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) v1.push(Buffer.from(v, 'hex'));
  }
  if (!t || !/^\d{1,12}$/.test(t) || v1.length === 0) return refused('malformed_signature', 'Stripe-Signature must hold t=<seconds> and v1=<64 hex digits>');
  if (Math.abs(ctx.nowSeconds - Number(t)) > STRIPE_TOLERANCE_SECONDS) return refused('timestamp_out_of_tolerance', 'Stripe-Signature t is more than 300 s from now');
  for (const secret of ctx.secrets) {
    const expected = createHmac('sha256', secret).update(`${t}.`).update(req.rawBody).digest();
    if (v1.some((g) => safeEqual(g, expected))) return ACCEPTED;
  }
  return refused('invalid_signature', 'no Stripe-Signature v1 entry matches');
}
