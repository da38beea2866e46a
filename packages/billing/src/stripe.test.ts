import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, seedOrg, seedRun, useDatabase } from '../test/seed';
import { startStripeDouble, type StripeDouble } from '../test/stripe-double';
import { aggregateUsage } from './aggregate';
import type { BillingProvider } from './provider';
import { meterIdentifier, reportClosedDays } from './report-usage';
import { utcDay } from './sql';
import { StripeError, StripeMeterEvents } from './stripe';

const t = useDatabase();
const KEY = 'sk_test_local_double';
let stripe: StripeDouble;

beforeAll(async () => {
  stripe = await startStripeDouble(KEY);
});
afterAll(() => stripe?.close());

describe('the Stripe adapter (Billing Meter Events API)', () => {
  it('sends a meter event Stripe accepts, and answers duplicate when Stripe already has its identifier', async () => {
    const adapter = new StripeMeterEvents({ apiKey: KEY, baseUrl: stripe.url });
    const event = { eventName: 'weft_runs', customerId: 'cus_A', value: 42n, identifier: 'weft:test:one', timestamp: new Date('2026-12-01T23:59:59Z') };
    expect(await adapter.reportUsage(event)).toBe('reported');
    expect(stripe.events.find((e) => e.identifier === 'weft:test:one')).toEqual({
      event_name: 'weft_runs', identifier: 'weft:test:one', payload: { stripe_customer_id: 'cus_A', value: '42' }, timestamp: Date.parse('2026-12-01T23:59:59Z') / 1000,
    });
    // The same request again (a retry): the Idempotency-Key replays the first answer, nothing new is stored.
    expect(await adapter.reportUsage(event)).toBe('reported');
    // Past Stripe's idempotency window the identifier still is unique: refused, which proves it was delivered.
    stripe.expireIdempotencyKeys();
    expect(await adapter.reportUsage({ ...event, value: 43n })).toBe('duplicate');
    expect(stripe.events.filter((e) => e.identifier === 'weft:test:one')).toHaveLength(1);
  });

  it('fails on what Stripe refuses for another reason (a wrong key)', async () => {
    const adapter = new StripeMeterEvents({ apiKey: 'sk_test_wrong', baseUrl: stripe.url });
    await expect(adapter.reportUsage({ eventName: 'weft_runs', customerId: 'cus_A', value: 1n, identifier: 'weft:test:bad-key', timestamp: new Date() })).rejects.toBeInstanceOf(StripeError);
  });
});

describe('reporting closed days', () => {
  it('reports each org, day and kind once with an identifier from the usage row; a retry after a crash never bills twice', async () => {
    const billed = await seedOrg(t.pool, 'default', 'cus_billed');
    const unbilled = await seedOrg(t.pool);
    await seedRun(t.pool, billed, daysAgo(2), [{ nodeType: 'function', ms: 40 }, { nodeType: 'http_request', ms: 60 }]);
    await seedRun(t.pool, billed, daysAgo(2), [{ nodeType: 'function', ms: 5 }]);
    await seedRun(t.pool, billed, new Date(), [{ nodeType: 'function', ms: 7 }]);
    await seedRun(t.pool, unbilled, daysAgo(2), [{ nodeType: 'function', ms: 1 }]);
    await aggregateUsage(t.pool);

    const adapter = new StripeMeterEvents({ apiKey: KEY, baseUrl: stripe.url });
    // The process dies after Stripe took the first event and before it was remembered.
    let calls = 0;
    const crashing: BillingProvider = {
      async reportUsage(e) {
        const outcome = await adapter.reportUsage(e);
        if (++calls === 1) throw new Error('crashed after sending');
        return outcome;
      },
    };
    await expect(reportClosedDays(t.pool, crashing)).rejects.toThrow('crashed after sending');
    const day = utcDay(daysAgo(2));
    const sent = () => stripe.events.filter((e) => e.payload.stripe_customer_id === 'cus_billed');
    expect(sent()).toHaveLength(1);

    // The retry sends the same identifier again: Stripe keeps one event, and the rest is reported.
    expect(await reportClosedDays(t.pool, adapter)).toEqual({ reported: 2, duplicates: 0 });
    expect(sent().map((e) => [e.identifier, e.event_name, e.payload.value]).sort()).toEqual([
      [meterIdentifier(billed.orgId, day, 'run'), 'weft_runs', '2'],
      [meterIdentifier(billed.orgId, day, 'step_ms'), 'weft_step_ms', '105'],
    ]);
    // Nothing left: today's usage is not closed, the other org has no Stripe customer.
    expect(await reportClosedDays(t.pool, adapter)).toEqual({ reported: 0, duplicates: 0 });
    const remembered = await t.pool.query(`SELECT identifier, value::int FROM billing_meter_reports WHERE org_id = $1 ORDER BY kind`, [billed.orgId]);
    expect(remembered.rows).toEqual([
      { identifier: meterIdentifier(billed.orgId, day, 'run'), value: 2 },
      { identifier: meterIdentifier(billed.orgId, day, 'step_ms'), value: 105 },
    ]);
  });
});
