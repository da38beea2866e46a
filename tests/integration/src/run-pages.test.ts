import { WeftApiError, WeftClient } from '@weft/sdk';
import { RUN_STEPS_CAP, type LiveMessage } from '@weft/workflow-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startPlatform, type Platform } from './platform';
import { seedRunRows, type SeededRows } from './seed-run-rows';

/*
 * A run with 10,000 steps and 10,000 more events, seeded in SQL (no workers: nothing executes them):
 * GET /v1/runs/:id answers a capped list, and the cursor pages of /steps and /events give every
 * row exactly once, in order.
 */

const STEPS = 10_000;
const EVENTS = 10_000;

let p: Platform;
let runId: string;
let seeded: SeededRows;

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const wf = await p.client.createWorkflow({ name: 'wide' });
  await p.client.publishVersion(wf.id, { nodes: [{ id: 'trigger', type: 'trigger', config: {} }], edges: [] });
  ({ runId } = await p.client.createRun({ workflowId: wf.id }));
  seeded = await seedRunRows(p.databaseUrl, runId, { steps: STEPS, events: EVENTS });
});
afterAll(async () => {
  await p?.stop();
});

/** Raw HTTP, to see the problem a user's curl sees. */
async function get(path: string) {
  const res = await fetch(`${p.url}${path}`, { headers: { authorization: `Bearer ${p.apiKey}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as { errors?: { path: string }[]; detail?: string } };
}

describe('A run with 10,000 steps', () => {
  it(`answers GET /v1/runs/:id with its first ${RUN_STEPS_CAP} steps, the total, and the cursor of the rest`, async () => {
    const run = await p.client.getRun(runId);
    expect(run.steps).toHaveLength(RUN_STEPS_CAP);
    expect(run.stepsTotal).toBe(STEPS);
    expect(run.steps.map((s) => s.id)).toEqual(seeded.stepIds.slice(0, RUN_STEPS_CAP));
    expect(run.stepsNextCursor).toBe(seeded.stepIds[RUN_STEPS_CAP - 1]);
  });

  it('pages through every step exactly once, in order, from the start or from the run\'s cursor', async () => {
    const seen: string[] = [];
    let pages = 0;
    for (let cursor: string | undefined; ; ) {
      const page = await p.client.runSteps(runId, { limit: 200, ...(cursor ? { cursor } : {}) });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(200);
      seen.push(...page.items.map((s) => s.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(pages).toBe(STEPS / 200);
    expect(new Set(seen).size).toBe(STEPS);
    expect(seen).toEqual(seeded.stepIds);

    const rest = await p.client.runSteps(runId, { limit: 200, cursor: (await p.client.getRun(runId)).stepsNextCursor! });
    expect(rest.items.map((s) => s.id)).toEqual(seeded.stepIds.slice(RUN_STEPS_CAP, RUN_STEPS_CAP + 200));
    const full = await p.client.getFullRun(runId);
    expect(full.steps.map((s) => s.id)).toEqual(seeded.stepIds);
    expect(full).toMatchObject({ stepsTotal: STEPS, stepsNextCursor: null });
  });

  it('pages through every event exactly once, in seq order, 50 to a page by default', async () => {
    const first = await p.client.runEvents(runId);
    expect(first.items.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(first.nextCursor).toBe('50');
    const seqs: number[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await p.client.runEvents(runId, { limit: 200, ...(cursor ? { cursor } : {}) });
      seqs.push(...page.items.map((e) => e.seq));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    // seq 1 is the run.created event of POST /v1/runs; the rest were seeded.
    expect(seqs).toEqual([1, ...seeded.seqs]);
    expect((await p.client.allRunEvents(runId, 9_990)).map((e) => e.seq)).toEqual(seeded.seqs.slice(-11));
  });

  it('shows the live snapshot capped the same way', async () => {
    const live = new WeftClient({ baseUrl: p.url, apiKey: p.apiKey, WebSocket: WebSocket as never });
    const snapshot = await new Promise<LiveMessage>((resolve) => {
      const handle = live.liveRun(runId, (m) => {
        handle.close();
        resolve(m);
      });
    });
    expect(snapshot).toMatchObject({ type: 'snapshot', run: { stepsTotal: STEPS, stepsNextCursor: seeded.stepIds[RUN_STEPS_CAP - 1], lastSeq: 1 + EVENTS } });
    expect(snapshot.type === 'snapshot' && snapshot.run.steps).toHaveLength(RUN_STEPS_CAP);
  });

  it("is not found by another org through any of its pages", async () => {
    const other = await p.newOrgClient();
    for (const call of [() => other.getRun(runId), () => other.runSteps(runId), () => other.runEvents(runId), () => other.runSteps(runId, { cursor: seeded.stepIds[0]! })]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeftApiError);
      expect((err as WeftApiError).status).toBe(404);
    }
  });

  it('answers a bad cursor or limit with a 400 naming the parameter', async () => {
    for (const [path, param] of [
      [`/v1/runs/${runId}/steps?cursor=not-a-step`, 'querystring.cursor'],
      [`/v1/runs/${runId}/steps?limit=201`, 'querystring.limit'],
      [`/v1/runs/${runId}/events?cursor=abc`, 'querystring.cursor'],
      [`/v1/runs/${runId}/events?cursor=-1`, 'querystring.cursor'],
      [`/v1/runs/${runId}/events?cursor=1.5`, 'querystring.cursor'],
      [`/v1/runs/${runId}/events?cursor=99999999999`, 'querystring.cursor'],
      [`/v1/runs/${runId}/events?limit=0`, 'querystring.limit'],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.errors?.map((e) => e.path), path).toEqual([param]);
    }
  });
});
