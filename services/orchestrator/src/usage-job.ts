import { aggregateUsage, reportClosedDays, type BillingProvider } from '@weft/billing';
import type { Logger } from '@weft/logger';
import { startTicker } from '@weft/run-store';
import type { Pool } from 'pg';

export interface UsageJobOptions {
  /** How often the daily aggregation runs (ms); 0 turns it off in this process. */
  intervalMs: number;
  /** Where closed days are reported for billing (the Stripe adapter when configured). */
  provider?: BillingProvider;
  logger: Logger;
}

/**
 * The usage job (docs/operating/usage.md), as the maintenance role: aggregates usage_events into
 * usage_daily (idempotent UPSERTs: any number of orchestrators may run it, and a re-run changes
 * nothing), then reports the closed days to the billing provider, if any (never twice).
 */
export function startUsageJob(pool: Pool, o: UsageJobOptions): { stop(): Promise<void> } {
  if (o.intervalMs <= 0) return { stop: async () => undefined };
  return startTicker(o.intervalMs, async () => {
    try {
      const aggregated = await aggregateUsage(pool);
      o.logger.debug({ days: aggregated.days, rows: aggregated.rows }, 'usage aggregated');
      if (o.provider) {
        const reported = await reportClosedDays(pool, o.provider);
        if (reported.reported || reported.duplicates) o.logger.info(reported, 'usage reported for billing');
      }
    } catch (err) {
      o.logger.warn({ err }, 'usage job failed; it runs again at the next interval');
    }
  });
}
