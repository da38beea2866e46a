import { loadOutputs } from '@weft/run-store';
import { buildContext, type RunContext, type RunState, type WorkflowGraph } from '@weft/engine';
import type { Logger } from '@weft/logger';
import type { JobEnvelope, Queues } from '@weft/queue';
import type { GraphCache, RunBus } from '@weft/run-store';
import type { Pool, PoolClient } from 'pg';
import type { EventLog } from './event-log';

export interface OrchestratorResources {
  pool: Pool;
  queues: Queues;
  graphs: GraphCache;
  logger: Logger;
  bus?: RunBus;
  /** Evaluate pure nodes (trigger, transform, branch) inside the transition instead of on an executor. */
  inlinePureSteps?: boolean;
  /** Uniform [0,1) source for retry jitter; recorded in the event so replay is exact. */
  random?: () => number;
}

export interface RunRow {
  id: string;
  org_id: string;
  workflow_id: string;
  workflow_version_id: string;
  status: string;
  state: RunState | null;
  last_seq: number;
  inputs: unknown;
  cancel_requested_at: Date | null;
  retry_request: { fromNodeId?: string | null } | null;
  deadline_at: Date | null;
  parent_step_id: string | null;
  kind: 'run' | 'iteration';
  body_path: string | null;
}

/** Everything one transition of one run works with, inside its transaction. */
export class Transition {
  readonly jobs: JobEnvelope[] = [];
  /** Steps to abort in executors once the transaction commits. */
  readonly abortStepIds: string[] = [];
  private ctx: RunContext | undefined;

  constructor(
    readonly c: PoolClient,
    readonly res: OrchestratorResources,
    readonly run: RunRow,
    readonly graph: WorkflowGraph,
    readonly log: EventLog,
  ) {}

  /** The run context (inputs + current outputs), loaded once and refreshed after settlements. */
  async context(): Promise<RunContext> {
    this.ctx ??= buildContext({
      inputs: this.run.inputs,
      outputs: await loadOutputs(this.c, this.run.id),
      run: { id: this.run.id, workflowId: this.run.workflow_id },
      iteration: this.run.kind === 'iteration',
    });
    return this.ctx;
  }

  invalidateContext(): void {
    this.ctx = undefined;
  }
}
