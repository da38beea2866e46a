import type { Logger } from '@weft/logger';
import { QUEUES, createWorker, type Queues } from '@weft/queue';
import { GraphCache } from '@weft/run-store';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { executeStep } from './execute-step';
import { AddressPolicy } from './http/address-policy';
import { StepHttpClient } from './http/client';
import { createProcessors } from './processors';

export interface ExecutorOptions {
  pool: Pool;
  queues: Queues;
  workerConnection: Redis;
  prefix: string;
  logger: Logger;
  concurrency: number;
  defaultTimeoutMs: number;
  leaseMarginMs: number;
  httpAllowCidrs: string;
  httpMaxResponseBytes: number;
}

/** Starts a BullMQ worker executing steps. */
export function startExecutor(o: ExecutorOptions) {
  const http = new StepHttpClient(new AddressPolicy(o.httpAllowCidrs), o.httpMaxResponseBytes);
  const res = {
    pool: o.pool,
    queues: o.queues,
    logger: o.logger,
    processors: createProcessors({ http }),
    graphs: new GraphCache(o.pool),
    defaultTimeoutMs: o.defaultTimeoutMs,
    leaseMarginMs: o.leaseMarginMs,
  };
  const worker = createWorker(
    QUEUES.executor,
    async (job, signal) => {
      await executeStep(res, job.data.stepId, signal);
    },
    { connection: o.workerConnection, prefix: o.prefix, concurrency: o.concurrency },
  );
  worker.on('failed', (job, err) => o.logger.error({ err, stepId: job?.data?.stepId }, 'execute-step job failed'));
  worker.on('error', (err) => o.logger.error({ err }, 'executor worker error'));
  return {
    worker,
    async stop() {
      await worker.close();
      await http.close();
    },
  };
}
