import { buildContext, type EngineEvent, type RunContext, type WorkflowGraph } from '@weft/engine';
import { jobFor, type JobEnvelope } from '@weft/queue';
import type { EventRow, StepRow } from '@weft/run-store';
import type { DecideEnv, Effect, ReadRequest, Reads, RunRow, RunSnapshot } from './types';

/** A step that ended inside this decision: the engine gets it next round, from memory. */
export interface InlineResult {
  stepId: string;
  nodeId: string;
  output: unknown;
  event: EngineEvent;
  /** A waiting (approval) step that succeeded: the decision it took. */
  approval?: string;
}

/** One engine input of a round, with the step it came from. */
export interface Input {
  event: EngineEvent;
  stepId: string | null;
  approval?: string;
  /** Who took the approval's decision (a key id, `user:<id>`, `link:<recipient>`), when recorded. */
  decidedBy?: string;
}

/**
 * What one call of `decide` builds up: events, step rows, jobs, effects, the completion; the run
 * context; and the reads it found missing. Made per call and thrown away with it.
 */
export class Decision {
  readonly run: RunRow;
  readonly reads: Reads;
  readonly events: EventRow[] = [];
  readonly steps: StepRow[] = [];
  readonly jobs: JobEnvelope[] = [];
  readonly effects: Effect[] = [];
  completion: { output: unknown; error: unknown } | undefined;
  /** Iteration runs this decision plans (its loops' items), counted with those started before. */
  plannedIterations = 0;
  /** The run had not started before this decision (it has no steps and no child runs yet). */
  readonly isNew: boolean;
  private seq: number;
  private readonly missing = new Map<string, ReadRequest>();
  private ctx: RunContext | undefined;
  /** The latest output of every succeeded node, as far as known (undefined: not loaded yet). */
  private outputs: Record<string, unknown> | undefined;
  private inline: InlineResult[] = [];

  constructor(
    snapshot: RunSnapshot,
    readonly graph: WorkflowGraph,
    readonly env: DecideEnv,
  ) {
    this.run = snapshot.run;
    this.reads = snapshot.reads;
    this.seq = snapshot.run.last_seq;
    this.isNew = snapshot.run.state === null;
    // A run that never transitioned has no steps: its outputs are known without a read.
    if (this.isNew) this.outputs = {};
    else if (snapshot.reads.outputs) this.outputs = { ...snapshot.reads.outputs };
  }

  get limits() {
    return this.env.limits;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Records an event of this transition with the next sequence number. */
  log(type: string, data: unknown, nodeId: string | null = null, stepId: string | null = null): void {
    this.events.push({ id: this.env.newId(), seq: ++this.seq, type, nodeId, stepId, data });
  }

  /** Input events are stored whole (minus type) so that replay can rebuild them exactly. */
  logInput(event: EngineEvent, stepId: string | null): void {
    const { type, ...data } = event;
    this.log(type, data, 'nodeId' in event ? event.nodeId : null, stepId);
  }

  /** Asks for a read: the plan becomes `needs` (decided again once it is loaded). */
  need(request: ReadRequest): undefined {
    this.missing.set(JSON.stringify(request), request);
    return undefined;
  }

  get needs(): ReadRequest[] {
    return [...this.missing.values()];
  }

  /** Whether a read was asked for (checked after every event: no list built). */
  get lacksReads(): boolean {
    return this.missing.size > 0;
  }

  /** A loaded read, or undefined after asking for it. */
  read<K extends 'runDepth' | 'enclosingIterations' | 'iterationsStarted'>(key: K): number | undefined {
    const value = this.reads[key];
    return value === undefined ? this.need({ read: key }) : value;
  }

  /** The run context (inputs + current outputs), or undefined after asking for the outputs. */
  context(): RunContext | undefined {
    if (this.ctx) return this.ctx;
    if (!this.outputs) return this.need({ read: 'outputs' });
    this.ctx = buildContext({
      inputs: this.run.inputs,
      outputs: this.outputs,
      run: { id: this.run.id, workflowId: this.run.workflow_id },
      iteration: this.run.kind === 'iteration',
    });
    return this.ctx;
  }

  /** Folds outputs of steps that just settled into the known outputs, in settle order. */
  addOutputs(settled: readonly { nodeId: string; output: unknown }[]): void {
    if (!this.outputs) return;
    for (const { nodeId, output } of settled) {
      this.outputs[nodeId] = output;
      if (this.ctx) this.ctx.steps[nodeId] = { output };
    }
  }

  /** A step ended inside this decision (its row is written applied): the engine gets it next round. */
  settleInline(result: InlineResult): void {
    this.inline.push(result);
  }

  /** The inline results not given to the engine yet; the outputs of those that succeeded join the known outputs now. */
  takeInline(): Input[] {
    const taken = this.inline;
    this.inline = [];
    this.addOutputs(taken.filter((r) => r.event.type === 'step.succeeded'));
    return taken.map(({ stepId, event, approval }) => (approval ? { stepId, event, approval } : { stepId, event }));
  }

  /**
   * Inline results the decision ended without applying (round limit, run finished) go back to the
   * table's unapplied steps, where the next transition finds them as if an executor had settled
   * them; a settled-step job for the first of them wakes that transition.
   */
  releaseInline(): void {
    const ids = new Set(this.inline.map((r) => r.stepId));
    const rows = this.steps.filter((s) => ids.has(s.id) && (s.status === 'succeeded' || s.status === 'failed'));
    this.inline = [];
    if (rows.length === 0) return;
    for (const row of rows) row.applied = false;
    const first = rows[0]!;
    this.jobs.push(jobFor.stepSettled(this.run.id, first.id, first.status === 'failed' ? 'failed' : 'succeeded'));
  }
}
