import { QUEUES, Queues, createRedis, createWorker, jobFor } from '@weft/queue';
import { createTestRedis } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * A for_each's iterations wake their parent when they end (a child-settled job each): BullMQ
 * merges those per parent, so the parent takes one transition after a batch of ends, not one
 * each, and never misses an end that comes while its transition runs.
 */
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let queues: Queues;
const connections: ReturnType<typeof createRedis>[] = [];
beforeAll(async () => {
  redis = await createTestRedis();
  connections.push(createRedis(redis.url, 'producer'));
  queues = new Queues(connections[0]!, redis.prefix);
});
afterAll(async () => {
  await queues?.close();
  for (const c of connections) c.disconnect();
  await redis?.cleanup();
});

const PARENT = '00000000-0000-4000-8000-0000000000aa';
const ends = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => jobFor.childSettled(PARENT, `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`, 5));

async function until(what: string, check: () => boolean | Promise<boolean>) {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Child-settled wake-ups of one parent', () => {
  it('are merged into one waiting job, and ends that come while it runs make exactly one more', async () => {
    const orchestrator = queues.queue(QUEUES.orchestrator);
    await queues.publish(ends(0, 5));
    for (const j of ends(5, 8)) await queues.publish([j]);
    expect(await orchestrator.getWaitingCount()).toBe(1);

    const seen: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const conn = createRedis(redis.url, 'worker');
    connections.push(conn);
    const worker = createWorker(
      QUEUES.orchestrator,
      async (job) => {
        seen.push(job.data.runId);
        if (seen.length === 1) await held;
      },
      { connection: conn, prefix: redis.prefix, concurrency: 4 },
    );
    try {
      await until('the first wake-up runs', () => seen.length === 1);
      // Ends while the parent's transition runs (after its read): kept, and one job made of them.
      await queues.publish(ends(8, 12));
      expect(await orchestrator.getWaitingCount()).toBe(0);
      release();
      await until('the kept wake-up runs', () => seen.length === 2);
      await until('the queue is drained', async () => (await orchestrator.getJobCounts('waiting', 'active', 'delayed')).active === 0);
      expect(await orchestrator.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
      expect(seen).toEqual([PARENT, PARENT]);
    } finally {
      await worker.close();
    }
  }, 60_000);
});
