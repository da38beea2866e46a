import { Queue, Worker, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import { JOBS, type JobEnvelope, type JobName, type JobPayload, type QueueName } from './catalog';
import type { RedisClient } from './connection';

/**
 * The BullMQ prefix of one queue: the platform prefix and the queue name in a Redis Cluster hash
 * tag, `{weft:executor}`. BullMQ's scripts touch many keys of a queue at once, so a queue's keys
 * must share one slot; a tag per queue (not one `{weft}` for all) puts each queue in its own slot,
 * so the queues spread over the cluster's masters, and two platforms (prefixes) on one cluster
 * spread too. The same layout on a single Redis (which ignores the braces), so one deployment's
 * keys do not change when it moves to a cluster.
 */
export function queuePrefix(prefix: string, queue: QueueName): string {
  return `{${prefix}:${queue}}`;
}

/** Job retention: enough to inspect recent failures, bounded so Redis memory stays flat. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: { count: 10_000, age: 7 * 24 * 3600 },
  attempts: 1,
};

/**
 * Per queue. A run's wake-up whose transition failed (a deadlock, a connection lost, a failover)
 * is tried again soon, a bounded number of times, instead of leaving the run to the reconciler:
 * the run row decides, so a repeat is harmless (0.1 s, doubling: the last try ~13 s after the
 * first). An executor job is tried once: a step's retries are its node's policy, and a lost
 * delivery is the sweeper's (lease) and the reconciler's.
 */
const JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  executor: DEFAULT_JOB_OPTIONS,
  orchestrator: { ...DEFAULT_JOB_OPTIONS, attempts: 8, backoff: { type: 'exponential', delay: 100 } },
  // An evaluation is a transaction (tried again like a run's wake-up); a delivery's attempts are
  // per job name (ALERT_DELIVERY_ATTEMPTS).
  alerts: { ...DEFAULT_JOB_OPTIONS, attempts: 8, backoff: { type: 'exponential', delay: 100 } },
};

/**
 * An alert's delivery: 10 tries, 2 s doubling (the last about 17 minutes after the first). An
 * answer that cannot improve (a 4xx other than 408/429) ends it at once.
 */
export const ALERT_DELIVERY_ATTEMPTS = 10;
const PER_JOB: Partial<Record<JobName, JobsOptions>> = {
  'deliver-alert': { attempts: ALERT_DELIVERY_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } },
  'notify-approval': { attempts: ALERT_DELIVERY_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } },
};

/**
 * Wake-ups that BullMQ merges per run: a parent woken by its children's ends (a for_each's
 * iterations end by the dozen) needs one transition after them, not one each. While one such job
 * waits, another is dropped (the waiting one reads everything when it runs); while one is active,
 * the next is kept and created when it ends (`keepLastIfActive`), so an end committed after the
 * active transition's read still gets a transition: at most one active and one waiting per run.
 */
const MERGED: Partial<Record<JobName, (j: JobEnvelope) => string>> = {
  'child-settled': (j) => `wake.${(j.payload as JobPayload<'child-settled'>).runId}`,
};

const jobOpts = (j: JobEnvelope): JobsOptions => {
  const merged = MERGED[j.name]?.(j);
  return { jobId: j.jobId, ...PER_JOB[j.name], ...(j.delayMs ? { delay: j.delayMs } : {}), ...(merged ? { deduplication: { id: merged, keepLastIfActive: true } } : {}) };
};

/** Producer side of every queue, sharing one connection. */
export class Queues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    /** The producer connection (also usable for PUBLISH). */
    readonly connection: RedisClient,
    private readonly prefix: string,
  ) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: queuePrefix(this.prefix, name), defaultJobOptions: JOB_OPTIONS[name] });
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Publishes jobs, grouped per queue with addBulk (one round trip per queue). A lone job (the
   * common case: one run started, one step settled) is added directly: addBulk builds an ioredis
   * pipeline object per call, which costs more CPU than the add itself.
   */
  async publish(jobs: readonly JobEnvelope[]): Promise<void> {
    if (jobs.length === 1) {
      const j = jobs[0]!;
      await this.queue(JOBS[j.name].queue).add(j.name, j.payload, jobOpts(j));
      return;
    }
    const byQueue = new Map<QueueName, JobEnvelope[]>();
    for (const j of jobs) {
      const q = JOBS[j.name].queue;
      (byQueue.get(q) ?? byQueue.set(q, []).get(q)!).push(j);
    }
    await Promise.all([...byQueue].map(([q, list]) => this.queue(q).addBulk(list.map((j) => ({ name: j.name, data: j.payload, opts: jobOpts(j) })))));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

export type Processor<Q extends QueueName> = (
  job: Job<JobPayload<Extract<JobName, { [K in JobName]: (typeof JOBS)[K]['queue'] extends Q ? K : never }[JobName]>>>,
  signal?: AbortSignal,
) => Promise<void>;

/** A worker whose payloads are validated against the job catalog before the processor sees them. */
export function createWorker<Q extends QueueName>(
  queue: Q,
  processor: Processor<Q>,
  opts: { connection: RedisClient; /** The platform prefix (WEFT_QUEUE_PREFIX). */ prefix: string } & Omit<WorkerOptions, 'connection' | 'prefix'>,
): Worker {
  return new Worker(
    queue,
    async (job, _token, signal) => {
      const spec = JOBS[job.name as JobName];
      if (!spec || spec.queue !== queue) throw new Error(`unknown job "${job.name}" on queue ${queue}`);
      job.data = spec.schema.parse(job.data);
      await processor(job as never, signal);
    },
    { ...opts, prefix: queuePrefix(opts.prefix, queue) },
  );
}
