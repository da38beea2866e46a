import { Gauge, type Registry } from 'prom-client';

/** The part of a BullMQ Queue read here (structural, so this package needs no bullmq). */
export interface QueueLike {
  readonly name: string;
  getJobCounts(...types: Array<(typeof STATES)[number]>): Promise<Record<string, number>>;
  getJobs(types: Array<'waiting' | 'prioritized'>, start: number, end: number, asc: boolean): Promise<Array<{ timestamp: number } | undefined>>;
}

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Queue depth by state and the age of the oldest waiting job, per queue, read from Redis when
 * scraped (one process exporting them is enough: they describe the shared queues).
 */
export function registerQueueMetrics(registry: Registry, queues: readonly QueueLike[]): void {
  new Gauge({
    name: 'weft_queue_jobs',
    help: 'Jobs in each BullMQ queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const q of queues) {
        const counts = await q.getJobCounts(...STATES);
        for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'weft_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const q of queues) {
        const [oldest] = await q.getJobs(['waiting', 'prioritized'], 0, 0, true);
        this.set({ queue: q.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
      }
    },
  });
}
