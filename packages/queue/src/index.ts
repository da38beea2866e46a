export { QUEUES, JOBS, jobIds, isStepSettledJob } from './catalog';
export type { QueueName, JobName, JobPayload, JobEnvelope } from './catalog';
export { createRedis, assertNoEviction, waitReady, RedisPolicyError } from './connection';
export { Queues, createWorker } from './queues';
export type { Processor } from './queues';
