import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

const QUEUE = 'bench-chain';

interface StepJob {
  chainId: string;
  step: number;
}

export interface BareChainOptions {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  steps: number;
  concurrency: number;
  /** Records when each job was picked, inserted its row and added the next (bench `hops`). */
  trace?: boolean;
}

/** One timestamp of the baseline's hops: [event, chain id, step, performance.now()]. */
export type BareMark = [event: 'pick' | 'inserted' | 'publish' | 'published', chainId: string, step: number, at: number];

/**
 * The floor Weft is compared with: a bare BullMQ chain where each job inserts one Postgres row
 * and then adds the next job. No state, no events, no outbox, no fencing. Job options match
 * Weft's queues (deterministic job ids, removed on completion).
 */
export class BareChain {
  private readonly waiters = new Map<string, () => void>();
  private readonly worker: Worker<StepJob>;
  /** With `trace`: every hop's timestamp. */
  readonly marks: BareMark[] = [];

  private constructor(
    private readonly opts: BareChainOptions,
    private readonly pool: pg.Pool,
    private readonly connections: [producer: Redis, worker: Redis],
    private readonly queue: Queue<StepJob>,
  ) {
    this.worker = new Worker<StepJob>(QUEUE, (job) => this.process(job.data), {
      connection: connections[1],
      prefix: opts.prefix,
      concurrency: opts.concurrency,
    });
    this.worker.on('error', (err) => console.error('[baseline] worker error', err));
  }

  static async start(opts: BareChainOptions): Promise<BareChain> {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20 });
    await pool.query(`CREATE TABLE IF NOT EXISTS bench_steps (
      id bigserial PRIMARY KEY, chain_id uuid NOT NULL, step int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue<StepJob>(QUEUE, {
      connection: producer,
      prefix: opts.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 10_000 }, attempts: 1 },
    });
    const chain = new BareChain(opts, pool, [producer, workerConnection], queue);
    await chain.worker.waitUntilReady();
    return chain;
  }

  private async process({ chainId, step }: StepJob): Promise<void> {
    this.mark('pick', chainId, step);
    await this.pool.query('INSERT INTO bench_steps (chain_id, step) VALUES ($1, $2)', [chainId, step]);
    this.mark('inserted', chainId, step);
    if (step < this.opts.steps) await this.add(chainId, step + 1);
    else this.waiters.get(chainId)?.();
  }

  private async add(chainId: string, step: number) {
    this.mark('publish', chainId, step);
    await this.queue.add('step', { chainId, step }, { jobId: `${chainId}.${step}` });
    this.mark('published', chainId, step);
  }

  private mark(event: BareMark[0], chainId: string, step: number) {
    if (this.opts.trace) this.marks.push([event, chainId, step, performance.now()]);
  }

  /** One chain: first job added → last row inserted (ms). */
  async runChain(): Promise<number> {
    const chainId = randomUUID();
    const done = new Promise<void>((resolve) => this.waiters.set(chainId, resolve));
    const t0 = performance.now();
    await this.add(chainId, 1);
    await done;
    this.waiters.delete(chainId);
    return performance.now() - t0;
  }

  /** `warmup + n` chains one after the other; answers the last n durations. */
  async sequential(n: number, warmup: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < warmup + n; i++) {
      const ms = await this.runChain();
      if (i >= warmup) out.push(ms);
    }
    return out;
  }

  /** n chains started at once; answers the wall time and every chain's duration. */
  async burst(n: number): Promise<{ wallMs: number; latencyMs: number[] }> {
    const t0 = performance.now();
    const latencyMs = await Promise.all(Array.from({ length: n }, () => this.runChain()));
    return { wallMs: performance.now() - t0, latencyMs };
  }

  /** Rows written so far: chains × steps when nothing was lost. */
  async rowCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_steps');
    return rows[0]!.n;
  }

  async stop(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
    await this.pool.end();
  }
}
