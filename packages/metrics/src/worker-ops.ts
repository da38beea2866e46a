import type { Server } from 'node:http';
import { registerPoolMetrics, type PoolLike } from './pool';
import { registerQueueMetrics, type QueueLike } from './queues';
import { createRegistry } from './registry';
import { startOpsServer } from './ops-server';

export interface WorkerOpsOptions {
  service: string;
  port: number | undefined;
  host: string;
  pool: PoolLike & { query(sql: string): Promise<unknown> };
  redis: { ping(): Promise<unknown> };
  queues: readonly QueueLike[];
}

/**
 * A worker's operations server, when WEFT_METRICS_PORT is set: process, pool and queue metrics,
 * liveness, and readiness (Postgres and Redis answer). Returns the registry for the worker's own
 * metrics and a close function (no-ops when no port is set).
 */
export async function startWorkerOps(o: WorkerOpsOptions): Promise<{ registry: ReturnType<typeof createRegistry>; close(): Promise<void> }> {
  const registry = createRegistry(o.service);
  registerPoolMetrics(registry, o.pool);
  registerQueueMetrics(registry, o.queues);
  if (o.port === undefined) return { registry, close: async () => undefined };
  const server: Server = await startOpsServer({
    registry,
    port: o.port,
    host: o.host,
    ready: async () => {
      await o.pool.query('SELECT 1');
      await o.redis.ping();
    },
  });
  return { registry, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
