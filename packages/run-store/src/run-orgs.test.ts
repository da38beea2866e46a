// A worker acting for one run's org (RunOrgs.forRun, row-level security on) cannot read or write
// another org's runs and steps, whatever id it is handed: the claim, the completion and the
// transition write of another org's run see nothing and change nothing.
import { createDb, newId, type Db } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedRun, seedStep, seedWorkflow, stepRow, type Workflow } from '../test/seed';
import { RunOrgs } from './run-orgs';
import { claimStep, completeStep } from './steps';
import { writeTransitions, type TransitionWrite } from './transition/write-transition';

const LEASE = { defaultTimeoutMs: 30_000, leaseMs: 60_000 };
const result = { status: 'succeeded', outputJson: '{"ok":true}', error: null, handle: null, usage: [] } as const;

let owner: Awaited<ReturnType<typeof freshDatabase>>;
/** The workers' Db: row-level security on, nothing visible outside a scope. */
let app: Db;
let a: Workflow;
let b: Workflow;

beforeAll(async () => {
  owner = await freshDatabase();
  app = createDb({ url: owner.db.url, poolMax: 2, rls: { default: 'none' } });
  a = await seedWorkflow(owner.pool);
  b = await seedWorkflow(owner.pool);
});
afterAll(async () => {
  await app?.close();
  await owner?.close();
});

/** A write ending run `runId` (of `wf`) as succeeded, as a transition writes it. */
const ending = (runId: string, wf: Workflow): TransitionWrite => ({
  runId, orgId: wf.orgId, state: { nodes: {} } as never, lastSeq: 1, status: 'succeeded', timeoutMs: null,
  completion: { output: 1, error: null }, events: [{ id: newId(), seq: 1, type: 'run.succeeded', nodeId: null, stepId: null, data: {} }],
  steps: [], jobs: [], guardSeq: 0, applied: [],
});

const runStatus = async (id: string) => (await owner.pool.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [id])).rows[0]?.status;

describe('RunOrgs', () => {
  it('answers the org of a run (read once: a run never changes org), and null for a run that does not exist', async () => {
    const orgs = new RunOrgs(app.pool);
    const runB = await seedRun(owner.pool, b, 'running');
    expect(await orgs.orgOf(runB)).toBe(b.orgId);
    await owner.pool.query('DELETE FROM runs WHERE id = $1', [runB]);
    expect(await orgs.orgOf(runB)).toBe(b.orgId);
    expect(await new RunOrgs(app.pool).orgOf(runB)).toBeNull();
    expect(await orgs.forRun(newId(), async () => 'ran', () => 'gone')).toBe('gone');
  });

  it('acts for the run’s org only: the app role with that org set', async () => {
    const runA = await seedRun(owner.pool, a, 'running');
    const seen = await new RunOrgs(app.pool).forRun(runA, async () => (await app.pool.query(`SELECT current_user AS role, current_setting('weft.org_id') AS org`)).rows[0], () => null);
    expect(seen).toEqual({ role: 'weft_app', org: a.orgId });
  });
});

describe('a worker acting for org A, handed org B’s ids', () => {
  const orgs = () => new RunOrgs(app.pool);

  it('cannot claim B’s queued step; acting for B’s run it can', async () => {
    const runA = await seedRun(owner.pool, a, 'running');
    const runB = await seedRun(owner.pool, b, 'running');
    const stepB = await seedStep(owner.pool, b, runB, 'work', 'queued');
    expect(await orgs().forRun(runA, () => claimStep(app.pool, stepB, LEASE), () => undefined)).toBeUndefined();
    expect(await stepRow(owner.pool, stepB)).toMatchObject({ status: 'queued', fence: 0, started_at: null });
    // The same call for B's own run claims it: the org, not the call, made the difference.
    expect(await orgs().forRun(runB, () => claimStep(app.pool, stepB, LEASE), () => undefined)).toMatchObject({ id: stepB, org_id: b.orgId, fence: 1 });
  });

  it('cannot settle B’s running step, even with its fence', async () => {
    const runA = await seedRun(owner.pool, a, 'running');
    const runB = await seedRun(owner.pool, b, 'running');
    const stepB = await seedStep(owner.pool, b, runB, 'work', 'queued');
    const claimed = (await claimStep(owner.pool, stepB, LEASE))!;
    const settled = await orgs().forRun(runA, () => completeStep(app.pool, { id: stepB, fence: claimed.fence, runId: runB }, result), () => null);
    expect(settled?.jobs).toEqual([]);
    expect(await stepRow(owner.pool, stepB)).toMatchObject({ status: 'running', fence: claimed.fence, output: null });
  });

  it('cannot write B’s run transition, even batched with A’s own, which applies', async () => {
    const runA = await seedRun(owner.pool, a, 'running');
    const runB = await seedRun(owner.pool, b, 'running');
    const written = await orgs().forRun(runA, () => writeTransitions(app.pool, [ending(runA, a), ending(runB, b)]), () => []);
    // B's run is invisible: its guard finds no run, so none of its rows (events, outbox) is written.
    expect(written).toEqual([[], null]);
    expect([await runStatus(runA), await runStatus(runB)]).toEqual(['succeeded', 'running']);
    // Not with A's org id on B's rows either.
    const runB2 = await seedRun(owner.pool, b, 'running');
    expect(await orgs().forRun(runA, () => writeTransitions(app.pool, [{ ...ending(runB2, b), orgId: a.orgId }]), () => [])).toEqual([null]);
    expect(await runStatus(runB2)).toBe('running');
    const events = await owner.pool.query('SELECT 1 FROM run_events WHERE run_id = ANY($1::uuid[])', [[runB, runB2]]);
    expect(events.rowCount).toBe(0);
  });
});
