import { compileOrThrow, replay, toEngineEvent, type EngineEvent, type RunState } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p?.stop();
});

// Wider than 65,535 / 17 bind parameters: one multi-row VALUES insert of the step rows could not hold it.
const WIDTH = 5000;
const branches = Array.from({ length: WIDTH }, (_, i) => `b${i}`);
/** trigger → gate (branch on input.go) → true: b0 … b4999 (inline transforms) → join (all), counting the outputs it sees. */
const definition = {
  nodes: [
    { id: 't', type: 'trigger', config: {} },
    { id: 'gate', type: 'branch', config: { condition: 'input.go' } },
    ...branches.map((id) => ({ id, type: 'transform', config: { expression: 'input.n' } })),
    { id: 'join', type: 'transform', config: { expression: 'length(keys(steps))', join: 'all' } },
  ],
  edges: [
    { source: 't', target: 'gate' },
    ...branches.map((b) => ({ source: 'gate', target: b, sourceHandle: 'true' })),
    ...branches.map((b) => ({ source: b, target: 'join' })),
  ],
  settings: { output: 'steps.join.output' },
};

/** The state replaying the run's recorded input events gives, and the state the run row holds. */
async function replayed(runId: string): Promise<{ replayed: RunState | null; stored: RunState }> {
  const { rows: events } = await p.db.pool.query<{ type: string; data: unknown }>('SELECT type, data FROM run_events WHERE run_id = $1 ORDER BY seq', [runId]);
  const { rows: [run] } = await p.db.pool.query<{ state: RunState }>('SELECT state FROM runs WHERE id = $1', [runId]);
  const inputs = events.map((e) => toEngineEvent(e.type, e.data)).filter((e): e is EngineEvent => e !== undefined);
  return { replayed: replay(compileOrThrow(definition), inputs), stored: run!.state };
}

describe('A 5,000-wide fan-out with a join', () => {
  let workflowId: string;
  beforeAll(async () => {
    const wf = await p.client.createWorkflow({ name: 'wide', definition });
    await p.client.publishVersion(wf.id);
    workflowId = wf.id;
  });

  it('runs every branch, joins once over all their outputs, and replays to the stored state', async () => {
    const { runId } = await p.client.createRun({ workflowId, inputs: { go: true, n: 7 } });
    const run = await p.client.waitForRun(runId, { timeoutMs: 120_000 });
    expect(run.status).toBe('succeeded');
    expect(run.output).toBe(WIDTH + 2); // t, gate and every branch
    const byStatus = await p.db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM run_steps WHERE run_id = $1 GROUP BY status', [runId]);
    expect(byStatus.rows).toEqual([{ status: 'succeeded', n: WIDTH + 3 }]);
    const { replayed: state, stored } = await replayed(runId);
    expect(state).toEqual(stored);
  });

  it('skips every branch and the join in one go when the gate goes the other way, and replays to the stored state', async () => {
    const { runId } = await p.client.createRun({ workflowId, inputs: { go: false, n: 7 } });
    const run = await p.client.waitForRun(runId, { timeoutMs: 120_000 });
    expect(run.status).toBe('succeeded');
    const byStatus = await p.db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM run_steps WHERE run_id = $1 GROUP BY status ORDER BY status', [runId]);
    expect(byStatus.rows).toEqual([
      { status: 'skipped', n: WIDTH + 1 },
      { status: 'succeeded', n: 2 },
    ]);
    const { replayed: state, stored } = await replayed(runId);
    expect(state).toEqual(stored);
  });
});

describe('A chain of inline steps longer than one transition folds', () => {
  it('carries on in a later transition and finishes with every step applied', async () => {
    // 150 inline transforms in a row: one transition folds 100 rounds; what is left is picked up again.
    const ids = Array.from({ length: 150 }, (_, i) => `s${i}`);
    const wf = await p.client.createWorkflow({
      name: 'long chain',
      definition: {
        nodes: [{ id: 't', type: 'trigger', config: {} }, ...ids.map((id, i) => ({ id, type: 'transform', config: { expression: i === 0 ? 'input.n' : `steps.s${i - 1}.output + \`1\`` } }))],
        edges: ids.map((id, i) => ({ source: i === 0 ? 't' : ids[i - 1]!, target: id })),
        settings: { output: 'steps.s149.output' },
      },
    });
    await p.client.publishVersion(wf.id);
    const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { n: 1 } });
    const run = await p.client.waitForRun(runId, { timeoutMs: 60_000 });
    expect(run.status).toBe('succeeded');
    expect(run.output).toBe(150);
    const { rows } = await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_steps WHERE run_id = $1 AND NOT applied', [runId]);
    expect(rows[0]!.n).toBe(0);
  });
});
