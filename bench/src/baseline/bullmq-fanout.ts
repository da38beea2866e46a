import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

const QUEUE = 'bench-fanout';

type FanJob =
  | { kind: 'root'; batchId: string; width: number }
  | { kind: 'branch'; batchId: string; index: number }
  | { kind: 'join'; batchId: string }
  | { kind: 'item'; batchId: string; index: number };

export interface BareFanoutOptions {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  /** Jobs the one worker runs at once. */
  concurrency: number;
}

/** Times of one fan-out, in ms from the root job being added (performance.now() in this process). */
export interface FanoutTiming {
  /** Root job added → last branch job started: every branch handed to the worker. */
  dispatchAllMs: number;
  firstBranchStartMs: number;
  lastBranchFinishMs: number;
  /** Last branch finished → join job started. */
  joinLatencyMs: number;
  /** Root job added → join row inserted. */
  makespanMs: number;
}

interface Batch {
  t0: number;
  branchStarts: number[];
  branchEnds: number[];
  joinStart?: number;
  itemsDone: number;
  expected: number;
  done: () => void;
}

/**
 * The floor for fan-out and for_each: bare BullMQ, one Postgres insert per job, nothing else
 * (no state, events, outbox or fencing). Fan-out: a root job inserts its row and a counter row
 * (remaining = width) and adds the branches with one addBulk; each branch inserts its row and
 * decrements the counter in the same statement; the branch that brings it to 0 adds the join
 * job, which inserts the join row. The join decision is thus durable and atomic with the
 * branch's write, in Postgres, as Weft's is. Flat: n jobs added at once, one row each.
 */
export class BareFanout {
  private readonly batches = new Map<string, Batch>();
  private readonly worker: Worker<FanJob>;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connections: [producer: Redis, worker: Redis],
    private readonly queue: Queue<FanJob>,
    opts: BareFanoutOptions,
  ) {
    this.worker = new Worker<FanJob>(QUEUE, (job) => this.process(job.data), {
      connection: connections[1],
      prefix: opts.prefix,
      concurrency: opts.concurrency,
    });
    this.worker.on('error', (err) => console.error('[baseline] worker error', err));
  }

  static async start(opts: BareFanoutOptions): Promise<BareFanout> {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20 });
    // An idle client can be cut while the pool ends (the bench drops the database right after): not an error here.
    pool.on('error', () => undefined);
    await pool.query(`CREATE TABLE IF NOT EXISTS bench_fanout_rows (
      id bigserial PRIMARY KEY, batch_id uuid NOT NULL, kind text NOT NULL, idx int, created_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await pool.query('CREATE TABLE IF NOT EXISTS bench_fanout_joins (batch_id uuid PRIMARY KEY, remaining int NOT NULL)');
    const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue<FanJob>(QUEUE, {
      connection: producer,
      prefix: opts.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 10_000 }, attempts: 1 },
    });
    const b = new BareFanout(pool, [producer, workerConnection], queue, opts);
    await b.worker.waitUntilReady();
    return b;
  }

  private async process(job: FanJob): Promise<void> {
    const batch = this.batches.get(job.batchId);
    if (!batch) throw new Error(`unknown batch ${job.batchId}`);
    switch (job.kind) {
      case 'root': {
        await this.pool.query(
          `WITH r AS (INSERT INTO bench_fanout_rows (batch_id, kind) VALUES ($1, 'root'))
           INSERT INTO bench_fanout_joins (batch_id, remaining) VALUES ($1, $2)`,
          [job.batchId, job.width],
        );
        await this.queue.addBulk(
          Array.from({ length: job.width }, (_, index) => ({
            name: 'branch',
            data: { kind: 'branch' as const, batchId: job.batchId, index },
            opts: { jobId: `${job.batchId}.b${index}` },
          })),
        );
        break;
      }
      case 'branch': {
        batch.branchStarts.push(performance.now());
        const { rows } = await this.pool.query<{ remaining: number }>(
          `WITH r AS (INSERT INTO bench_fanout_rows (batch_id, kind, idx) VALUES ($1, 'branch', $2))
           UPDATE bench_fanout_joins SET remaining = remaining - 1 WHERE batch_id = $1 RETURNING remaining`,
          [job.batchId, job.index],
        );
        batch.branchEnds.push(performance.now());
        if (rows[0]!.remaining === 0) await this.queue.add('join', { kind: 'join', batchId: job.batchId }, { jobId: `${job.batchId}.join` });
        break;
      }
      case 'join':
        batch.joinStart = performance.now();
        await this.pool.query(`INSERT INTO bench_fanout_rows (batch_id, kind) VALUES ($1, 'join')`, [job.batchId]);
        batch.done();
        break;
      case 'item':
        await this.pool.query(`INSERT INTO bench_fanout_rows (batch_id, kind, idx) VALUES ($1, 'item', $2)`, [job.batchId, job.index]);
        if (++batch.itemsDone === batch.expected) batch.done();
        break;
    }
  }

  private open(expected: number): { batchId: string; batch: Batch; finished: Promise<void> } {
    const batchId = randomUUID();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const batch: Batch = { t0: performance.now(), branchStarts: [], branchEnds: [], itemsDone: 0, expected, done };
    this.batches.set(batchId, batch);
    return { batchId, batch, finished };
  }

  /** root → `width` branches → join. Throws if a row is missing. */
  async fanOut(width: number): Promise<FanoutTiming> {
    const { batchId, batch, finished } = this.open(width);
    batch.t0 = performance.now();
    await this.queue.add('root', { kind: 'root', batchId, width }, { jobId: `${batchId}.root` });
    await finished;
    const end = performance.now();
    this.batches.delete(batchId);
    await this.expectRows(batchId, width + 2);
    const lastEnd = Math.max(...batch.branchEnds);
    return {
      dispatchAllMs: Math.max(...batch.branchStarts) - batch.t0,
      firstBranchStartMs: Math.min(...batch.branchStarts) - batch.t0,
      lastBranchFinishMs: lastEnd - batch.t0,
      joinLatencyMs: batch.joinStart! - lastEnd,
      makespanMs: end - batch.t0,
    };
  }

  /** `n` jobs added at once (one addBulk), one row each; answers first add → last row inserted (ms). */
  async flat(n: number): Promise<number> {
    const { batchId, batch, finished } = this.open(n);
    batch.t0 = performance.now();
    for (let i = 0; i < n; i += 1000) {
      await this.queue.addBulk(
        Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
          name: 'item',
          data: { kind: 'item' as const, batchId, index: i + k },
          opts: { jobId: `${batchId}.i${i + k}` },
        })),
      );
    }
    await finished;
    const ms = performance.now() - batch.t0;
    this.batches.delete(batchId);
    await this.expectRows(batchId, n);
    return ms;
  }

  private async expectRows(batchId: string, expected: number): Promise<void> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_fanout_rows WHERE batch_id = $1', [batchId]);
    if (rows[0]!.n !== expected) throw new Error(`baseline batch ${batchId} wrote ${rows[0]!.n} rows, expected ${expected}`);
  }

  async stop(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
    await this.pool.end();
  }
}
