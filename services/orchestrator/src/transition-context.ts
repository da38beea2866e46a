import { insertStepRows, loadOutputs, type StepRow } from '@weft/run-store';
import { buildContext, type EngineEvent, type RunContext, type RunState, type WorkflowGraph } from '@weft/engine';
import type { Logger } from '@weft/logger';
import { jobFor, type JobEnvelope, type Queues } from '@weft/queue';
import type { GraphCache, OutboxDeletes, RunBus } from '@weft/run-store';
import type { Pool, PoolClient } from 'pg';
import type { EventLog } from './event-log';
import { DEFAULT_ORCHESTRATOR_LIMITS, type OrchestratorLimits } from './limits';
import type { SettledStep } from './transition-write';

export interface OrchestratorResources {
  pool: Pool;
  queues: Queues;
  graphs: GraphCache;
  logger: Logger;
  bus?: RunBus;
  /** Batches the DELETE of published outbox rows; without it each transition deletes its own. */
  outboxDeletes?: OutboxDeletes;
  /** Evaluate pure nodes (trigger, transform, branch) inside the transition instead of on an executor. */
  inlinePureSteps?: boolean;
  /** Uniform [0,1) source for retry jitter; recorded in the event so replay is exact. */
  random?: () => number;
  /** Budgets of steps and limits of run shapes (default: DEFAULT_ORCHESTRATOR_LIMITS). */
  limits?: OrchestratorLimits;
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
  /** Set when the run finished in this transition: its output and error, written with the new state. */
  completion: { output: unknown; error: unknown } | undefined;
  /** Steps to abort in executors once the transaction commits. */
  readonly abortStepIds: string[] = [];
  private ctx: RunContext | undefined;
  /**
   * The latest output of every succeeded node, when known without asking Postgres: from the
   * start for a run that never transitioned (it has no steps yet), or once loaded; kept current
   * with the steps this transition settles (see `addOutputs`). undefined: load it when needed.
   */
  private outputs: Record<string, unknown> | undefined;
  /** Results of steps evaluated inline, written already applied: the engine gets them next round without reading them back. */
  private inline: { stepId: string; nodeId: string; output: unknown; event: EngineEvent }[] = [];
  /**
   * Step rows of this transition not written yet: they go out with the transition's final write
   * (one statement for the run, its events, steps and jobs), or earlier when something is about
   * to read run_steps (`flushSteps`). No foreign keys and no reader outside the transaction.
   */
  private staged: StepRow[] = [];
  /**
   * Whether run_steps may hold settled rows the engine has not been given: at the start of an
   * existing run's transition (executors, timers, children), and after this transition wrote one.
   * The settled-steps query is skipped otherwise (a pure run starts and ends in one statement).
   */
  private unappliedSettled: boolean;
  /** Unlocked: the settled steps read with the run, until the engine takes them; then their ids, for the final write to mark applied. */
  private preread: readonly SettledStep[] | undefined;
  private readonly applied: string[] = [];
  private readonly unlocked: boolean;

  constructor(
    readonly c: PoolClient,
    readonly res: OrchestratorResources,
    readonly run: RunRow,
    readonly graph: WorkflowGraph,
    readonly log: EventLog,
    /** Plain reads that need no lock (outputs, for an unlocked transition whose `c` takes no statements). */
    private readonly reads: PoolClient = c,
    unlocked?: { settled: readonly SettledStep[] },
  ) {
    if (run.state === null) this.outputs = {};
    this.unappliedSettled = run.state !== null;
    this.unlocked = unlocked !== undefined;
    this.preread = unlocked?.settled;
  }

  /** What this orchestrator holds runs to. */
  get limits(): OrchestratorLimits {
    return this.res.limits ?? DEFAULT_ORCHESTRATOR_LIMITS;
  }

  /** The settled steps read with the run (unlocked transition), once; undefined: ask Postgres. */
  takePrereadSettled(): readonly SettledStep[] | undefined {
    const rows = this.preread;
    this.preread = undefined;
    if (rows) this.applied.push(...rows.map((r) => r.id));
    return rows;
  }

  /** Ids of the settled steps the final write marks applied (read without the lock). */
  get appliedSettled(): readonly string[] {
    return this.applied;
  }

  /** Stages step rows for the transition's write; a settled row the engine still has to see is noted. */
  stageSteps(rows: readonly StepRow[]): void {
    for (const r of rows) {
      this.staged.push(r);
      if (!r.applied && (r.status === 'succeeded' || r.status === 'failed')) this.unappliedSettled = true;
    }
  }

  /** Writes the staged step rows now: call before any statement that reads or updates run_steps. */
  async flushSteps(): Promise<void> {
    if (this.staged.length === 0) return;
    const rows = this.staged;
    this.staged = [];
    await insertStepRows(this.c, { orgId: this.run.org_id, runId: this.run.id }, rows);
  }

  /** The staged rows, handed to the transition's final write (which then owns them). */
  takeStagedSteps(): StepRow[] {
    const rows = this.staged;
    this.staged = [];
    return rows;
  }

  /** A statement of this transition settled a step row without applying it (a timer fired, a loop ended). */
  noteSettled(): void {
    this.unappliedSettled = true;
  }

  /** Whether the settled-steps query can find anything; resets the mark (the query applies what it finds). */
  takeUnappliedSettled(): boolean {
    const maybe = this.unappliedSettled;
    this.unappliedSettled = false;
    return maybe;
  }

  /** The run context (inputs + current outputs), loaded at most once per transition and kept current. */
  async context(): Promise<RunContext> {
    if (this.ctx) return this.ctx;
    if (!this.outputs) {
      // Unlocked, staged rows cannot be written first: read without them when none has an output.
      if (!this.unlocked || this.staged.some((r) => r.status === 'succeeded')) await this.flushSteps();
      this.outputs = await loadOutputs(this.reads, this.run.id);
    }
    this.ctx = buildContext({
      inputs: this.run.inputs,
      outputs: this.outputs,
      run: { id: this.run.id, workflowId: this.run.workflow_id },
      iteration: this.run.kind === 'iteration',
    });
    return this.ctx;
  }

  /** Whether settled steps should bring their outputs along (the outputs are tracked in memory). */
  get tracksOutputs(): boolean {
    return this.outputs !== undefined;
  }

  /**
   * Folds the outputs of steps that just settled into the known outputs, in settle order (a
   * node's later attempt settles after its earlier ones), as reloading them would.
   */
  addOutputs(settled: readonly { nodeId: string; output: unknown }[]): void {
    if (!this.outputs) return;
    for (const { nodeId, output } of settled) {
      this.outputs[nodeId] = output;
      if (this.ctx) this.ctx.steps[nodeId] = { output };
    }
  }

  /** Queues the result of a step evaluated inline (its row is written with applied = true). */
  settleInline(result: { stepId: string; nodeId: string; output: unknown; event: EngineEvent }): void {
    this.inline.push(result);
  }

  /** The inline results not given to the engine yet, as settled inputs; the outputs of those that succeeded join the known outputs now, as settling them would. */
  takeInlineSettled(): { stepId: string; event: EngineEvent }[] {
    const taken = this.inline;
    this.inline = [];
    this.addOutputs(taken.filter((r) => r.event.type === 'step.succeeded'));
    return taken.map(({ stepId, event }) => ({ stepId, event }));
  }

  /**
   * Inline results the transition ended without applying (round limit, run finished) go back to
   * the table's unapplied steps, where the next transition finds them, as if they had been read;
   * a settled-step job for the first of them wakes that transition.
   */
  async releaseInline(): Promise<void> {
    if (this.inline.length === 0) return;
    const ids = new Set(this.inline.map((r) => r.stepId));
    // Nothing else will wake the run for them (no executor settles them): a job, written with
    // this transition's outbox rows, makes the next transition pick them up.
    const first = this.inline[0]!;
    this.jobs.push(jobFor.stepSettled(this.run.id, first.stepId, first.event.type === 'step.failed' ? 'failed' : 'succeeded'));
    this.inline = [];
    for (const row of this.staged) {
      if (ids.delete(row.id)) row.applied = false;
    }
    if (ids.size > 0) await this.c.query('UPDATE run_steps SET applied = false WHERE id = ANY($1::uuid[])', [[...ids]]);
  }

  /** Forgets the context and outputs: the next `context()` reads them from Postgres again. */
  invalidateContext(): void {
    this.ctx = undefined;
    this.outputs = undefined;
  }
}
