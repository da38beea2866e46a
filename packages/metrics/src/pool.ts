import { Gauge, type Registry } from 'prom-client';

/** What a pg.Pool tells about itself (structural, so this package needs no pg). */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** Postgres pool use, read when scraped: connections open, idle, and queries waiting for one. */
export function registerPoolMetrics(registry: Registry, pool: PoolLike): void {
  new Gauge({
    name: 'weft_pg_pool_connections',
    help: 'Postgres pool connections by state (open, idle) and queries waiting for a connection',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'open' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
