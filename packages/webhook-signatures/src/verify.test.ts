import { describe, expect, it } from 'vitest';
import { signGithub } from './github';
import { signStandard } from './standard-webhooks';
import { signStripe } from './stripe';
import { deliveryKey, verifyDelivery } from './verify';
import type { SignedRequest, WebhookScheme } from './types';

const req = (body: string, headers: Record<string, string>): SignedRequest => ({ rawBody: Buffer.from(body), headers });
const verify = (scheme: WebhookScheme, r: SignedRequest, secrets: string[], nowSeconds: number, header?: string) => verifyDelivery(scheme, r, { secrets, nowSeconds, header });

// The Standard Webhooks specification's published test vector (also Svix's).
const SW = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  ts: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const swHeaders = (o: Partial<Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>> = {}) => ({
  'webhook-id': SW.id, 'webhook-timestamp': String(SW.ts), 'webhook-signature': SW.signature, ...o,
});

// GitHub's documented example (docs.github.com, "Validating webhook deliveries").
const GH = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};

describe('Standard Webhooks', () => {
  it('signs the specification test vector to its published signature', () => {
    expect(signStandard(SW.secret, SW.id, SW.ts, SW.body)).toBe(SW.signature);
  });

  it('verifies the specification test vector', () => {
    expect(verify('standard-webhooks', req(SW.body, swHeaders()), [SW.secret], SW.ts)).toEqual({ ok: true });
  });

  it('verifies when any of several space-separated entries matches, and with any of several secrets', () => {
    const headers = swHeaders({ 'webhook-signature': `v1,AAAA${'A'.repeat(40)} ${SW.signature} v2,whatever` });
    expect(verify('standard-webhooks', req(SW.body, headers), ['whsec_b3RoZXI=', SW.secret], SW.ts).ok).toBe(true);
  });

  it('refuses a one-byte change of the body, the id or the timestamp', () => {
    expect(verify('standard-webhooks', req('{"test": 2432232315}', swHeaders()), [SW.secret], SW.ts)).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(verify('standard-webhooks', req(SW.body, swHeaders({ 'webhook-id': `${SW.id}x` })), [SW.secret], SW.ts).ok).toBe(false);
    expect(verify('standard-webhooks', req(SW.body, swHeaders({ 'webhook-timestamp': String(SW.ts + 1) })), [SW.secret], SW.ts).ok).toBe(false);
  });

  it('refuses a missing header, a truncated signature and a wrong secret', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const headers: Record<string, string> = swHeaders();
      delete headers[name];
      expect(verify('standard-webhooks', req(SW.body, headers), [SW.secret], SW.ts), name).toMatchObject({ ok: false, reason: 'missing_signature' });
    }
    expect(verify('standard-webhooks', req(SW.body, swHeaders({ 'webhook-signature': SW.signature.slice(0, -2) })), [SW.secret], SW.ts)).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(verify('standard-webhooks', req(SW.body, swHeaders({ 'webhook-signature': 'v1,' })), [SW.secret], SW.ts).ok).toBe(false);
    expect(verify('standard-webhooks', req(SW.body, swHeaders()), ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx'], SW.ts).ok).toBe(false);
  });

  it('accepts a timestamp 300 s away and refuses one 301 s old or ahead', () => {
    const r = req(SW.body, swHeaders());
    expect(verify('standard-webhooks', r, [SW.secret], SW.ts + 300).ok).toBe(true);
    expect(verify('standard-webhooks', r, [SW.secret], SW.ts - 300).ok).toBe(true);
    expect(verify('standard-webhooks', r, [SW.secret], SW.ts + 301)).toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verify('standard-webhooks', r, [SW.secret], SW.ts - 301)).toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' });
  });
});

describe('GitHub', () => {
  it("verifies GitHub's documented example", () => {
    expect(signGithub(GH.secret, GH.body)).toBe(GH.signature);
    expect(verify('github', req(GH.body, { 'x-hub-signature-256': GH.signature }), [GH.secret], 0)).toEqual({ ok: true });
  });

  it('refuses a one-byte change, a missing header, a truncated signature and a wrong secret', () => {
    expect(verify('github', req('Hello, World?', { 'x-hub-signature-256': GH.signature }), [GH.secret], 0)).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(verify('github', req(GH.body, {}), [GH.secret], 0)).toMatchObject({ ok: false, reason: 'missing_signature' });
    expect(verify('github', req(GH.body, { 'x-hub-signature-256': GH.signature.slice(0, -1) }), [GH.secret], 0)).toMatchObject({ ok: false, reason: 'malformed_signature' });
    expect(verify('github', req(GH.body, { 'x-hub-signature-256': GH.signature }), ["It's a secret to everybody"], 0).ok).toBe(false);
  });
});

describe('Stripe', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"evt_1","type":"charge.succeeded"}';
  const t = 1_700_000_000;

  it('verifies t=…,v1=… signed with the endpoint secret, also next to other entries', () => {
    const header = signStripe(secret, t, body);
    expect(verify('stripe', req(body, { 'stripe-signature': header }), [secret], t).ok).toBe(true);
    expect(verify('stripe', req(body, { 'stripe-signature': `${header},v1=${'0'.repeat(64)},v0=abc` }), [secret], t + 10).ok).toBe(true);
  });

  it('refuses a one-byte change, a missing header, a truncated signature, and t 301 s old or ahead', () => {
    const header = signStripe(secret, t, body);
    expect(verify('stripe', req(body.replace('1', '2'), { 'stripe-signature': header }), [secret], t)).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(verify('stripe', req(body, {}), [secret], t)).toMatchObject({ ok: false, reason: 'missing_signature' });
    expect(verify('stripe', req(body, { 'stripe-signature': header.slice(0, -1) }), [secret], t)).toMatchObject({ ok: false, reason: 'malformed_signature' });
    expect(verify('stripe', req(body, { 'stripe-signature': header }), [secret], t + 300).ok).toBe(true);
    expect(verify('stripe', req(body, { 'stripe-signature': header }), [secret], t + 301)).toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verify('stripe', req(body, { 'stripe-signature': header }), [secret], t - 301)).toMatchObject({ ok: false, reason: 'timestamp_out_of_tolerance' });
  });
});

describe('A shared secret in a header', () => {
  it('verifies the exact value in the named header and nothing else', () => {
    const r = (v?: string) => req('{}', v === undefined ? {} : { 'x-token': v });
    expect(verify('header', r('s3cret-value'), ['s3cret-value'], 0, 'x-token').ok).toBe(true);
    expect(verify('header', r('s3cret-valuf'), ['s3cret-value'], 0, 'x-token').ok).toBe(false);
    expect(verify('header', r('s3cret-valu'), ['s3cret-value'], 0, 'x-token').ok).toBe(false);
    expect(verify('header', r(), ['s3cret-value'], 0, 'x-token')).toMatchObject({ ok: false, reason: 'missing_signature' });
  });
});

describe('The dedupe key', () => {
  it("is the scheme's delivery id, or the configured header", () => {
    expect(deliveryKey('standard-webhooks', { 'webhook-id': 'msg_1' }, {})).toBe('msg_1');
    expect(deliveryKey('github', { 'x-github-delivery': 'gh-1' }, {})).toBe('gh-1');
    expect(deliveryKey('stripe', {}, { id: 'evt_1' })).toBe('evt_1');
    expect(deliveryKey('none', {}, { id: 'x' })).toBeUndefined();
    expect(deliveryKey('none', { 'x-request-id': 'r1' }, {}, 'x-request-id')).toBe('r1');
  });
});
