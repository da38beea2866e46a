import { Gauge, type Registry } from 'prom-client';

/** Runs one statement (a pg Pool or client with the maintenance role: the outbox of every org). */
export interface QueryLike {
  query<R extends object>(sql: string): Promise<{ rows: R[] }>;
}

const OUTBOX_LAG = `SELECT count(*)::int AS waiting, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest FROM outbox`;

/**
 * Outbox lag, read from Postgres when scraped: rows committed but not yet published to BullMQ,
 * and the age of the oldest. Rows normally live milliseconds (published after commit); a growing
 * age means the queue is unreachable and the relay is behind.
 */
export function registerOutboxMetrics(registry: Registry, db: QueryLike): void {
  let last: Promise<{ waiting: number; oldest: number }> | undefined;
  // Both gauges read the same statement once per scrape.
  const read = () => (last ??= db.query<{ waiting: number; oldest: number }>(OUTBOX_LAG).then((r) => r.rows[0] ?? { waiting: 0, oldest: 0 }).finally(() => setImmediate(() => (last = undefined))));
  new Gauge({
    name: 'weft_outbox_rows',
    help: 'Outbox rows committed and not yet published to the queue',
    registers: [registry],
    async collect() {
      this.set((await read()).waiting);
    },
  });
  new Gauge({
    name: 'weft_outbox_lag_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when none waits)',
    registers: [registry],
    async collect() {
      this.set((await read()).oldest);
    },
  });
}
