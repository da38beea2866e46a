export { QUEUES, JOBS, jobFor, UNLOCKED_FIRST } from './catalog';
export type { QueueName, JobName, JobPayload, JobEnvelope, WakeReason } from './catalog';
export { createRedis, clusterOptions, assertNoEviction, waitReady, RedisPolicyError } from './connection';
export type { RedisClient, RedisEnv } from './connection';
export { Queues, createWorker, queuePrefix, ALERT_DELIVERY_ATTEMPTS } from './queues';
export type { Processor } from './queues';
export { hopNow, markHop, hopsTraced, traceHopsTo } from './hops';
