import { QUEUES } from '@weft/queue';
import { CronSchedule } from '@weft/schedule';
import { fireDueSchedules, tickSchedules } from '@weft/orchestrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// The scheduler is driven by hand here: no orchestrator ticks on its own (workers off), and each
// tick is given its `now`, so no assertion depends on the clock or on timing.
let p: Platform;
let workflowId: string;
const limits = { misfireGraceMs: 10_000, windowMs: 3_600_000, maxFires: 100, batch: 100 };
const tick = (now: Date) => tickSchedules(p.db.pool, p.queues, limits, undefined, now);

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const wf = await p.client.createWorkflow({ name: 'scheduled' });
  await p.client.publishVersion(wf.id, { nodes: [{ id: 'start', type: 'trigger', config: {} }, { id: 'echo', type: 'transform', config: { expression: 'input' } }], edges: [{ source: 'start', target: 'echo' }] });
  workflowId = wf.id;
});
afterAll(async () => {
  await p?.stop();
});

/** A schedule created through the API, its first unhandled nominal time set to `next`. */
async function schedule(body: Omit<Parameters<Platform['client']['createSchedule']>[1], 'timezone'> & { timezone?: string }, next: Date) {
  const s = await p.client.createSchedule(workflowId, { timezone: 'UTC', ...body });
  await p.db.pool.query('UPDATE schedules SET next_run_at = $2 WHERE id = $1', [s.id, next]);
  return s.id;
}

async function fires(scheduleId: string) {
  const { rows } = await p.db.pool.query<{ nominal_time: Date; outcome: string; run_id: string | null }>(
    'SELECT nominal_time, outcome, run_id FROM schedule_fires WHERE schedule_id = $1 ORDER BY nominal_time', [scheduleId]);
  return rows.map((r) => ({ at: r.nominal_time.toISOString(), outcome: r.outcome, runId: r.run_id }));
}

async function runsOf(scheduleId: string) {
  const { rows } = await p.db.pool.query<{ id: string; status: string }>(`SELECT id, status FROM runs WHERE trigger_type = 'schedule' AND trigger_id = $1 ORDER BY id`, [scheduleId]);
  return rows;
}

const finish = (runIds: string[]) => p.db.pool.query(`UPDATE runs SET status = 'succeeded', finished_at = now() WHERE id = ANY($1::uuid[])`, [runIds]);
const T0 = new Date('2026-05-01T10:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);

describe('A due schedule fires', () => {
  it('starts one run per nominal time: trigger schedule, its run.created event and its start job, and a later tick repeats nothing', async () => {
    const id = await schedule({ cron: '* * * * *', inputs: { a: 1 } }, T0);
    const first = await tick(plus(2_000));
    expect(first.started).toBe(1);
    const [fire] = await fires(id);
    expect(fire).toMatchObject({ at: T0.toISOString(), outcome: 'started' });
    const run = await p.client.getRun(fire!.runId!);
    expect(run).toMatchObject({ triggerType: 'schedule', triggerId: id, inputs: { a: 1 }, status: 'queued' });
    const events = await p.client.runEvents(run.id);
    expect(events.items[0]).toMatchObject({ seq: 1, type: 'run.created', data: { scheduleId: id, nominalTime: T0.toISOString() } });
    const job = await p.queues.queue(QUEUES.orchestrator).getJob(`run.${run.id}.start`);
    expect(job?.data).toEqual({ runId: run.id });
    expect((await p.client.listRuns({ triggerType: 'schedule' })).items.map((r) => r.id)).toContain(run.id);

    expect((await tick(plus(3_000))).started).toBe(0);
    expect(await fires(id)).toHaveLength(1);
    const s = await p.client.getSchedule(id);
    expect(s.nextRunAt).toBe(plus(60_000).toISOString());
    expect(s.lastRunAt).toBe(T0.toISOString());
    await finish([run.id]);
  });
});

describe('Exactly once', () => {
  it('schedulers ticking the same due schedules concurrently fire every nominal time once', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => schedule({ cron: '* * * * * *', overlap: 'allow', catchup: 'all' }, T0)));
    // 12 ticks from separate connections at once, with overlapping views of "now".
    await Promise.all(Array.from({ length: 12 }, (_, i) => tick(plus((i % 6) * 1000))));
    await tick(plus(5_000));
    for (const id of ids) {
      const f = await fires(id);
      expect(f.map((x) => x.at)).toEqual([0, 1, 2, 3, 4, 5].map((s) => plus(s * 1000).toISOString()));
      expect(f.every((x) => x.outcome === 'started')).toBe(true);
      const runs = await runsOf(id);
      expect(runs.map((r) => r.id).sort()).toEqual(f.map((x) => x.runId).sort());
    }
    await p.db.pool.query(`UPDATE schedules SET enabled = false WHERE id = ANY($1::uuid[])`, [ids]);
  });

  it('a scheduler killed mid-transaction fires nothing; its schedules are skipped while locked and fired once after', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => schedule({ cron: '*/10 * * * * *', overlap: 'allow', catchup: 'all' }, T0)));
    const doomed = new pg.Client({ connectionString: p.databaseUrl });
    await doomed.connect();
    doomed.on('error', () => undefined);
    await doomed.query('BEGIN');
    const inFlight = await fireDueSchedules(doomed as unknown as pg.PoolClient, limits, undefined, plus(20_000));
    expect(inFlight.started).toBe(15);
    // Another scheduler meanwhile: the locked schedules are not its to fire.
    const meanwhile = await tick(plus(20_000));
    expect(meanwhile.claimed).toBe(0);
    // Killed: the backend goes away with its transaction.
    const { rows: [backend] } = await doomed.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // As the database's owner: the platform's pool acts through a row-level-security role, which
    // may not end another role's backend.
    const admin = new pg.Client({ connectionString: p.databaseUrl });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
    await admin.end();
    await doomed.end().catch(() => undefined);
    for (const id of ids) expect(await fires(id)).toEqual([]);
    // The next tick fires them, once.
    expect((await tick(plus(21_000))).started).toBe(15);
    expect((await tick(plus(22_000))).started).toBe(0);
    for (const id of ids) {
      expect((await fires(id)).map((f) => f.at)).toEqual([0, 10_000, 20_000].map((ms) => plus(ms).toISOString()));
      expect(await runsOf(id)).toHaveLength(3);
    }
    await p.db.pool.query(`UPDATE schedules SET enabled = false WHERE id = ANY($1::uuid[])`, [ids]);
  });
});

describe('Overlap', () => {
  it('skip: no new run while the previous one is live; the next fire after it ended starts', async () => {
    const id = await schedule({ cron: '* * * * *', overlap: 'skip' }, T0);
    await tick(T0);
    await tick(plus(60_000));
    expect((await fires(id)).map((f) => f.outcome)).toEqual(['started', 'skipped']);
    const runs = await runsOf(id);
    expect(runs).toHaveLength(1);
    await finish([runs[0]!.id]);
    await tick(plus(120_000));
    expect((await fires(id)).map((f) => f.outcome)).toEqual(['started', 'skipped', 'started']);
    expect(await runsOf(id)).toHaveLength(2);
    await p.client.deleteSchedule(id);
  });

  it('allow: a new run at every fire, live or not', async () => {
    const id = await schedule({ cron: '* * * * *', overlap: 'allow' }, T0);
    await tick(T0);
    await tick(plus(60_000));
    const runs = await runsOf(id);
    expect(runs.map((r) => r.status)).toEqual(['queued', 'queued']);
    await p.client.deleteSchedule(id);
  });

  it('buffer_one: one fire waits for the live run and starts when it ends; more fires meanwhile are skipped', async () => {
    const id = await schedule({ cron: '* * * * *', overlap: 'buffer_one' }, T0);
    await tick(T0);
    await tick(plus(60_000));
    await tick(plus(120_000));
    expect((await fires(id)).map((f) => f.outcome)).toEqual(['started', 'buffered', 'skipped']);
    const [first] = await runsOf(id);
    // Still live: the buffered fire keeps waiting.
    await tick(plus(125_000));
    expect(await runsOf(id)).toHaveLength(1);
    await finish([first!.id]);
    await tick(plus(130_000));
    const f = await fires(id);
    expect(f.map((x) => x.outcome)).toEqual(['started', 'started', 'skipped']);
    expect(await runsOf(id)).toHaveLength(2);
    expect(f[1]!.runId).toBe((await runsOf(id)).find((r) => r.id !== first!.id)!.id);
    await p.client.deleteSchedule(id);
  });
});

describe('Catch-up after a downtime (next_run_at hours in the past)', () => {
  const now = new Date('2026-05-01T12:00:30Z');
  const twoHoursBefore = new Date('2026-05-01T10:00:00Z');

  it('latest (default): one run, for the newest missed time', async () => {
    const id = await schedule({ cron: '* * * * *' }, twoHoursBefore);
    await tick(now);
    expect(await fires(id)).toEqual([expect.objectContaining({ at: '2026-05-01T12:00:00.000Z', outcome: 'started' })]);
    expect((await p.client.getSchedule(id)).nextRunAt).toBe('2026-05-01T12:01:00.000Z');
    await p.client.deleteSchedule(id);
  });

  it('skip: no run for missed times, and the schedule goes on from now', async () => {
    const id = await schedule({ cron: '* * * * *', catchup: 'skip' }, twoHoursBefore);
    expect((await tick(now)).started).toBe(0);
    expect(await fires(id)).toEqual([]);
    expect((await p.client.getSchedule(id)).nextRunAt).toBe('2026-05-01T12:01:00.000Z');
    await p.client.deleteSchedule(id);
  });

  it('all: every missed time within the window (1 h here), in order, once', async () => {
    const id = await schedule({ cron: '* * * * *', catchup: 'all', overlap: 'allow' }, twoHoursBefore);
    await tick(now);
    await tick(now);
    const f = await fires(id);
    expect(f).toHaveLength(60);
    expect(f[0]!.at).toBe('2026-05-01T11:01:00.000Z');
    expect(f[59]!.at).toBe('2026-05-01T12:00:00.000Z');
    expect(await runsOf(id)).toHaveLength(60);
    await p.client.deleteSchedule(id);
  });
});

describe('DST, as the scheduler fires (a tick every 10 minutes through the night)', () => {
  async function night(cron: string, from: string, to: string) {
    const c = new CronSchedule(cron, 'Europe/Berlin');
    const id = await schedule({ cron, timezone: 'Europe/Berlin', overlap: 'allow', catchup: 'all' }, c.after(new Date(from))!);
    for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += 600_000) await tick(new Date(t));
    const f = await fires(id);
    await p.client.deleteSchedule(id);
    return f.map((x) => x.at);
  }

  it('spring forward: a daily 02:30 fires once, at 03:00 CEST', async () => {
    expect(await night('30 2 * * *', '2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z')).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('fall back: a daily 02:30 fires once, at the first pass', async () => {
    expect(await night('30 2 * * *', '2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z')).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('fall back: an hourly expression fires on both passes of the repeated hour (distinct instants), each once', async () => {
    expect(await night('30 * * * *', '2026-10-24T23:00:00Z', '2026-10-25T02:00:00Z')).toEqual(['2026-10-24T23:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
  });
});
