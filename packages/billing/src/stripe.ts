import type { BillingProvider, MeterEvent } from './provider';

export interface StripeOptions {
  /** A Stripe secret key (`sk_…`); never logged. */
  apiKey: string;
  /** Default https://api.stripe.com (tests: a local double). */
  baseUrl?: string;
}

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reports usage through Stripe's Billing Meter Events API: `POST /v1/billing/meter_events`
 * (form-encoded `event_name`, `payload[stripe_customer_id]`, `payload[value]`, `identifier`,
 * `timestamp`), with the identifier as the `Idempotency-Key` too. Stripe refuses an identifier it
 * has already seen (400 invalid_request_error "An event already exists with identifier …"): since
 * the identifier is derived from the usage row, that refusal proves the usage was delivered, and
 * the adapter answers `duplicate`.
 */
export class StripeMeterEvents implements BillingProvider {
  private readonly baseUrl: string;

  constructor(private readonly o: StripeOptions) {
    this.baseUrl = (o.baseUrl ?? 'https://api.stripe.com').replace(/\/$/, '');
  }

  async reportUsage(e: MeterEvent): Promise<'reported' | 'duplicate'> {
    const form = new URLSearchParams({
      event_name: e.eventName,
      'payload[stripe_customer_id]': e.customerId,
      'payload[value]': e.value.toString(),
      identifier: e.identifier,
      timestamp: String(Math.floor(e.timestamp.getTime() / 1000)),
    });
    const res = await fetch(`${this.baseUrl}/v1/billing/meter_events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.o.apiKey}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': e.identifier },
      body: form.toString(),
    });
    if (res.ok) return 'reported';
    const body = (await res.json().catch(() => ({}))) as { error?: { type?: string; message?: string } };
    const message = body.error?.message ?? `HTTP ${res.status}`;
    if (res.status === 400 && /already exists with identifier/i.test(message)) return 'duplicate';
    throw new StripeError(res.status, body.error?.type, `Stripe refused meter event ${e.identifier}: ${message}`);
  }
}
