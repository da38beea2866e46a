import type { BillingProvider } from './provider';
import { rows, utcDay, type Queryable } from './sql';

/** The Stripe meter (event_name) of each usage kind. */
export const DEFAULT_METERS: Readonly<Record<string, string>> = {
  run: 'weft_runs',
  step_ms: 'weft_step_ms',
  llm_tokens_in: 'weft_llm_tokens_in',
  llm_tokens_out: 'weft_llm_tokens_out',
  http_bytes: 'weft_http_bytes',
};

/** The identifier of the meter event reporting an org's day of one kind (stable: a retry sends the same). */
export const meterIdentifier = (orgId: string, day: string, kind: string) => `weft:${orgId}:${day}:${kind}`;

/**
 * Reports the closed days (usage_closed_days) of the last `maxDays` (Stripe takes events up to 35
 * days old) for every org with a Stripe customer: one meter event per org, day and kind, valued
 * with the day's aggregate, never twice. billing_meter_reports remembers what was reported; an
 * event sent but not remembered (the process died in between) is sent again with the same
 * identifier, and the provider's `duplicate` answer is recorded as reported. Maintenance role.
 */
export async function reportClosedDays(
  q: Queryable,
  provider: BillingProvider,
  o: { now?: Date; maxDays?: number; meters?: Readonly<Record<string, string>> } = {},
): Promise<{ reported: number; duplicates: number }> {
  const meters = o.meters ?? DEFAULT_METERS;
  const now = o.now ?? new Date();
  const due = await rows<{ org_id: string; customer: string; day: string; kind: string; value: string }>(
    q,
    `SELECT d.org_id, o.stripe_customer_id AS customer, to_char(d.day, 'YYYY-MM-DD') AS day, d.kind, sum(d.quantity)::text AS value
     FROM usage_daily d JOIN orgs o ON o.id = d.org_id AND o.stripe_customer_id IS NOT NULL
     WHERE d.day IN (SELECT day FROM usage_closed_days WHERE day > $1::date - $2::int)
       AND NOT EXISTS (SELECT 1 FROM billing_meter_reports b WHERE b.org_id = d.org_id AND b.day = d.day AND b.kind = d.kind)
     GROUP BY 1, 2, 3, 4 ORDER BY 3, 1, 4`,
    [utcDay(now), o.maxDays ?? 30],
  );
  let reported = 0;
  let duplicates = 0;
  for (const d of due) {
    const eventName = meters[d.kind];
    if (!eventName || d.value === '0') continue;
    const identifier = meterIdentifier(d.org_id, d.day, d.kind);
    // The usage of a day is reported at its last second (Stripe bills it in that day's period).
    const outcome = await provider.reportUsage({ eventName, customerId: d.customer, value: BigInt(d.value), identifier, timestamp: new Date(Date.parse(`${d.day}T23:59:59Z`)) });
    if (outcome === 'duplicate') duplicates++;
    else reported++;
    await q.query(
      `INSERT INTO billing_meter_reports (identifier, org_id, day, kind, event_name, value) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (identifier) DO NOTHING`,
      [identifier, d.org_id, d.day, d.kind, eventName, d.value],
    );
  }
  return { reported, duplicates };
}
