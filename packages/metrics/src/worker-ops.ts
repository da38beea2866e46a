import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
export interface WorkerOps {
  registry: ReturnType<typeof createRegistry>;
  /** The port it listens on (the one asked for, or the one given for 0); undefined: no server. */
  port: number | undefined;
  close(): Promise<void>;
}

export async function startWorkerOps(o: WorkerOpsOptions): Promise<WorkerOps> {
  const registry = createRegistry(o.service);
  registerPoolMetrics(registry, o.pool);
  registerQueueMetrics(registry, o.queues);
  if (o.port === undefined) return { registry, port: undefined, close: async () => undefined };
  const server: Server = await startOpsServer({
    registry,
    port: o.port,
    host: o.host,
    ready: async () => {
      await o.pool.query('SELECT 1');
      await o.redis.ping();
    },
  });
  const { port } = server.address() as AddressInfo;
  return { registry, port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
