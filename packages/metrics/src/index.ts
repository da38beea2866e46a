export { createRegistry } from './registry';
export { registerPoolMetrics, type PoolLike } from './pool';
export { startOpsServer, type OpsServerOptions } from './ops-server';
export { registerQueueMetrics, type QueueLike } from './queues';
export { startWorkerOps, type WorkerOps, type WorkerOpsOptions } from './worker-ops';
