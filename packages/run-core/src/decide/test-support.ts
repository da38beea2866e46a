import { compileOrThrow, type WorkflowGraph } from '@weft/engine';
import type { SettledStep, StepRow } from '@weft/run-store';
import { DEFAULT_ORCHESTRATOR_LIMITS } from './limits';
import type { DecideEnv, FinalWrite, Plan, Reads, RunRow, RunSnapshot } from './types';

/* Fixtures of decide's unit tests: runs, snapshots and plans without a database. */

export const NOW = Date.parse('2026-01-01T12:00:00.000Z');
export const RUN_ID = '00000000-0000-4000-8000-00000000a001';

/** A deterministic environment: a fixed clock, a fixed random number, counted ids. */
export function testEnv(over: Partial<DecideEnv> = {}): DecideEnv {
  let n = 0;
  return {
    now: NOW,
    random: () => 0.5,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    limits: DEFAULT_ORCHESTRATOR_LIMITS,
    inlinePureSteps: true,
    ...over,
  };
}

export const graphOf = (definition: unknown): WorkflowGraph => compileOrThrow(definition);

export const trigger = { id: 't', type: 'trigger', config: {} };
export const edge = (source: string, target: string, sourceHandle?: string) => ({ source, target, ...(sourceHandle ? { sourceHandle } : {}) });
export const transform = (id: string, expression: string) => ({ id, type: 'transform', config: { expression } });
export const fn = (id: string, config: Record<string, unknown> = {}) => ({ id, type: 'function', config: { name: 'echo', ...config } });

/** A run as the gateway creates it (not started), with changes. */
export function newRun(over: Partial<RunRow> = {}): RunRow {
  return {
    id: RUN_ID,
    org_id: '00000000-0000-4000-8000-00000000b001',
    workflow_id: '00000000-0000-4000-8000-00000000c001',
    workflow_version_id: '00000000-0000-4000-8000-00000000d001',
    status: 'queued',
    state: null,
    last_seq: 1,
    inputs: {},
    cancel_requested_at: null,
    retry_request: null,
    deadline_at: null,
    parent_step_id: null,
    parent_run_id: null,
    kind: 'run',
    body_path: null,
    created_by: null,
    trigger_type: 'api',
    created_at: new Date(0),
    ...over,
  };
}

export const snapshot = (run: RunRow, settled: readonly SettledStep[] = [], reads: Reads = {}): RunSnapshot => ({ run, settled, reads });

/** The final write of a plan (it must be a write with one). */
export function writeOf(plan: Plan): FinalWrite {
  if (plan.kind !== 'write' || !plan.write) throw new Error(`expected a plan with a final write, got ${JSON.stringify(plan).slice(0, 300)}`);
  return plan.write;
}

export const effectsOf = (plan: Plan) => (plan.kind === 'write' ? plan.effects : []);
export const eventTypes = (plan: Plan) => writeOf(plan).events.map((e) => e.type);
export const stepOf = (plan: Plan, nodeId: string): StepRow => {
  const row = writeOf(plan).steps.find((s) => s.nodeId === nodeId);
  if (!row) throw new Error(`no step row of node "${nodeId}" in the plan`);
  return row;
};

/** The run as the next transition reads it after the plan was written (its own copy of the state). */
export function after(run: RunRow, plan: Plan, over: Partial<RunRow> = {}): RunRow {
  const w = writeOf(plan);
  return { ...run, state: structuredClone(w.state), last_seq: w.lastSeq, status: w.status, retry_request: null, ...over };
}

/** A step row of the plan as an executor (or the API, or a child) settles it. */
export function settled(row: StepRow, outcome: { status?: 'succeeded' | 'failed'; handle?: string; error?: SettledStep['error'] } = {}): SettledStep {
  const status = outcome.status ?? 'succeeded';
  return { id: row.id, node_id: row.nodeId, node_type: row.nodeType, attempt: row.attempt, status, handle: outcome.handle ?? null, error: status === 'failed' ? (outcome.error ?? { code: 'boom', message: 'it broke', retryable: true }) : null };
}
