export { createRegistry } from './registry';
export { weftMetrics, domainMetrics } from './domain';
export { registerPoolMetrics, type PoolLike } from './pool';
export { registerOutboxMetrics, type QueryLike } from './outbox';
export { startOpsServer, type OpsServerOptions } from './ops-server';
export { registerQueueMetrics, type QueueLike } from './queues';
export { startWorkerOps, type WorkerOps, type WorkerOpsOptions } from './worker-ops';
