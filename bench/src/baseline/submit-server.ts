// The submit100 baseline, run as its own process (node --import tsx): the least a durable
// "accept a run over HTTP, then run it from a queue" service does. Started by submit-baseline.ts.
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';

const { DATABASE_URL, REDIS_URL, BENCH_PREFIX, BENCH_PORT, BENCH_CONCURRENCY } = process.env;
const QUEUE = 'bench-submit';

async function main() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_runs (
    id uuid PRIMARY KEY, inputs jsonb NOT NULL, status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)`);
  const producer = new Redis(REDIS_URL!, { maxRetriesPerRequest: 3 });
  const workerConnection = new Redis(REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE, { connection: producer, prefix: BENCH_PREFIX!, defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 10_000 }, attempts: 1 } });
  // The worker marks the row done: one UPDATE per job, as a step's fenced completion is one statement.
  const worker = new Worker<{ runId: string }>(
    QUEUE,
    async (job) => {
      await pool.query(`UPDATE bench_runs SET status = 'done', finished_at = clock_timestamp() WHERE id = $1 AND status = 'queued'`, [job.data.runId]);
    },
    { connection: workerConnection, prefix: BENCH_PREFIX!, concurrency: Number(BENCH_CONCURRENCY ?? 32) },
  );
  await worker.waitUntilReady();

  const app = Fastify({ logger: false });
  // The row commits before the job is added (a worker never sees a job without its row); the job carries the id only.
  app.post('/runs', async (req, reply) => {
    const runId = randomUUID();
    await pool.query(`INSERT INTO bench_runs (id, inputs, status) VALUES ($1, $2, 'queued')`, [runId, JSON.stringify((req.body as { inputs?: unknown }).inputs ?? {})]);
    await queue.add('run', { runId }, { jobId: runId });
    return reply.status(202).send({ runId });
  });
  await app.listen({ port: Number(BENCH_PORT), host: '127.0.0.1' });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await worker.close();
      await queue.close();
      producer.disconnect();
      workerConnection.disconnect();
      await pool.end();
      process.exit(0);
    })();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
