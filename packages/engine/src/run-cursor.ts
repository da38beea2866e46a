import { ERROR_HANDLE, configOf, isOfKind, typesWith } from '@weft/workflow-schema';
import type { WorkflowGraph } from './graph';
import { failureRoute, takesEdge } from './failure';
import { ACTIVE_STEP_STATUSES, type Command, type EngineEvent, type NodeState, type RunError, type RunState } from './state';

export interface CursorOptions {
  /** The caller hands the state over (e.g. just parsed from the database): it is written in place, not copied. */
  adopt?: boolean;
  /**
   * Only one event will be applied (that is `advance`): answer joins and completion by scanning
   * the nodes involved rather than building counters for the whole graph first.
   */
  oneEvent?: boolean;
}

/** What one event did: `changed` is false for stale or duplicate events (then there are no commands). */
export interface CursorStep {
  changed: boolean;
  commands: Command[];
}

type EdgeState = 'satisfied' | 'dead' | 'pending';

/** Nodes that wait for time or a person (their kind parks the step): the run shows `waiting` while only these are active. */
const WAITING_TYPES = typesWith('parks');

const isActive = (node: NodeState | undefined) => !!node && ACTIVE_STEP_STATUSES.has(node.status);
const isDecided = (node: NodeState | undefined) => !!node && node.status !== 'pending';
const isLive = (node: NodeState | undefined, attempt: number) => isActive(node) && node!.attempt === attempt;

function edgeState(source: NodeState | undefined, handle: string | undefined): EdgeState {
  if (!source || source.status === 'pending' || ACTIVE_STEP_STATUSES.has(source.status)) return 'pending';
  // A caught failure leaves like a success: by its error handle, or by its plain edges (continueOnFail).
  const left = source.status === 'succeeded' ? source.handle : source.status === 'failed' && source.caught ? (source.caught === 'error' ? ERROR_HANDLE : undefined) : null;
  if (left === null) return 'dead';
  return takesEdge(left, handle) ? 'satisfied' : 'dead';
}

/**
 * Counts derived from a state, kept up to date by every node write: per node, how many incoming
 * edges are still pending and how many are satisfied; per run, how many nodes are active and
 * how many of the graph's nodes are decided. They make a join of 10,000 edges O(1) per event.
 */
interface Counters {
  pendingIn: Int32Array;
  satisfiedIn: Int32Array;
  active: number;
  decided: number;
}

/**
 * Advances one run through many events at a cost proportional to what each event changes: the
 * state is copied once (on the first write), then updated in place, with the join counters above
 * maintained incrementally. `advance` is one cursor step on a private copy, so both share the same
 * transition rules. The state the cursor exposes is live: it changes with the next `apply`.
 */
export class RunCursor {
  private cur: RunState | null;
  private owned: boolean;
  private counts: Counters | undefined;
  private readonly scan: boolean;

  constructor(
    readonly graph: WorkflowGraph,
    state: RunState | null,
    options: CursorOptions = {},
  ) {
    this.cur = state;
    this.owned = options.adopt ?? false;
    this.scan = options.oneEvent ?? false;
  }

  /** The state after the events applied so far (the input state itself until something changed). */
  get state(): RunState | null {
    return this.cur;
  }

  apply(event: EngineEvent): CursorStep {
    const state = this.cur;
    if (event.type === 'run.started') {
      if (state) return UNCHANGED();
      this.cur = { status: 'running', nodes: {} };
      this.owned = true;
      this.counts = undefined;
      const commands: Command[] = [];
      this.dispatch(this.graph.triggerId, commands);
      return this.finish(commands);
    }
    // Every run's history begins with run.started; anything else first is a caller bug, not data.
    if (!state) throw new Error(`"${event.type}" before "run.started": a run's first event must start it`);
    if (event.type === 'run.retry_requested') return this.retryRun(event.fromNodeId);
    if (isFinishedStatus(state.status)) return UNCHANGED();

    const commands: Command[] = [];
    switch (event.type) {
      case 'run.cancel_requested':
        return this.end(commands, 'cancelled', { code: 'cancelled', message: event.reason ?? 'the run was cancelled' });
      case 'run.timed_out':
        return this.end(commands, 'failed', { code: 'run_timeout', message: 'the run did not finish within settings.timeoutMs' });
      case 'step.succeeded': {
        if (!isLive(state.nodes[event.nodeId], event.attempt)) return UNCHANGED();
        this.set(event.nodeId, { status: 'succeeded', attempt: event.attempt, ...(event.handle !== undefined ? { handle: event.handle } : {}) });
        this.propagate([event.nodeId], commands);
        return this.finish(commands);
      }
      case 'step.failed': {
        if (!isLive(state.nodes[event.nodeId], event.attempt)) return UNCHANGED();
        const { nodeId, attempt, error } = event;
        const next = failureRoute(this.graph, nodeId, attempt, error, event.random);
        switch (next.route) {
          case 'retry':
            this.set(nodeId, { status: 'queued', attempt: next.attempt });
            commands.push({ type: 'dispatch', nodeId, attempt: next.attempt, delayMs: next.delayMs });
            return { changed: true, commands };
          case 'error':
          case 'continue':
            // The error is the node's output: recorded before anything downstream is dispatched.
            this.set(nodeId, { status: 'failed', attempt, error, caught: next.route });
            commands.push({ type: 'failure_caught', nodeId, attempt, route: next.route, error });
            this.propagate([nodeId], commands);
            return this.finish(commands);
          case 'fail':
            this.set(nodeId, { status: 'failed', attempt, error });
            return this.end(commands, 'failed', { code: error.code, message: `node "${nodeId}" failed: ${error.message}`, nodeId });
        }
      }
    }
  }

  /** The state this cursor may write: copied from the input state on the first write only. */
  private own(): RunState {
    if (!this.owned) {
      this.cur = { ...this.cur!, nodes: { ...this.cur!.nodes } };
      this.owned = true;
    }
    return this.cur!;
  }

  /**
   * The counters, built on first need; a one-event cursor (`advance`) scans what it needs instead
   * (the scans are the reference the counters are checked against by the replay property test).
   */
  private counters(): Counters | undefined {
    if (this.counts || this.scan) return this.counts;
    const { edgeIndex, order } = this.graph;
    const nodes = this.cur!.nodes;
    const c: Counters = { pendingIn: edgeIndex.inDegree.slice(), satisfiedIn: new Int32Array(edgeIndex.inDegree.length), active: 0, decided: 0 };
    for (const id of Object.keys(nodes)) {
      const node = nodes[id];
      if (isActive(node)) c.active++;
      for (const e of edgeIndex.out.get(id) ?? []) {
        const s = edgeState(node, e.handle);
        if (s === 'pending') continue;
        bump(c.pendingIn, e.target, -1);
        if (s === 'satisfied') bump(c.satisfiedIn, e.target, 1);
      }
    }
    for (const id of order) if (isDecided(nodes[id])) c.decided++;
    this.counts = c;
    return c;
  }

  /** Pending and satisfied incoming edges of `target`. */
  private incomingEdges(target: string): { pending: number; satisfied: number } {
    const c = this.counters();
    if (c) {
      const slot = this.graph.edgeIndex.slot.get(target)!;
      return { pending: c.pendingIn[slot]!, satisfied: c.satisfiedIn[slot]! };
    }
    let pending = 0;
    let satisfied = 0;
    for (const e of this.graph.incoming.get(target) ?? []) {
      const s = edgeState(this.cur!.nodes[e.source], e.handle);
      if (s === 'pending') pending++;
      else if (s === 'satisfied') satisfied++;
    }
    return { pending, satisfied };
  }

  /** Nothing active and every node of the graph decided: the run has succeeded. */
  private allSettled(): boolean {
    const c = this.counters();
    if (c) return c.active === 0 && c.decided === this.graph.order.length;
    const { nodes } = this.cur!;
    return !Object.values(nodes).some(isActive) && this.graph.order.every((id) => isDecided(nodes[id]));
  }

  /** Every node write goes through here, so the counters follow the state. */
  private set(id: string, next: NodeState): void {
    const state = this.own();
    const prev = state.nodes[id];
    const c = this.counts;
    if (c) {
      c.active += (isActive(next) ? 1 : 0) - (isActive(prev) ? 1 : 0);
      const slot = this.graph.edgeIndex.slot.get(id);
      if (slot !== undefined && this.graph.edgeIndex.ordered[slot]) c.decided += (isDecided(next) ? 1 : 0) - (isDecided(prev) ? 1 : 0);
      for (const e of this.graph.edgeIndex.out.get(id) ?? []) {
        const before = edgeState(prev, e.handle);
        const after = edgeState(next, e.handle);
        if (before === after) continue;
        bump(c.pendingIn, e.target, (after === 'pending' ? 1 : 0) - (before === 'pending' ? 1 : 0));
        bump(c.satisfiedIn, e.target, (after === 'satisfied' ? 1 : 0) - (before === 'satisfied' ? 1 : 0));
      }
    }
    state.nodes[id] = next;
  }

  private dispatch(nodeId: string, commands: Command[]) {
    const attempt = (this.cur!.nodes[nodeId]?.attempt ?? 0) + 1;
    this.set(nodeId, { status: WAITING_TYPES.has(this.graph.node(nodeId).type) ? 'waiting' : 'queued', attempt });
    commands.push({ type: 'dispatch', nodeId, attempt, delayMs: 0 });
  }

  /** Ends the run: active steps are cancelled, then the run completes with `status`. Once per run: a scan is fine. */
  private end(commands: Command[], status: 'succeeded' | 'failed' | 'cancelled', error?: RunError): CursorStep {
    const state = this.own();
    const active = Object.keys(state.nodes).filter((id) => isActive(state.nodes[id]));
    for (const id of active) this.set(id, { ...state.nodes[id]!, status: 'cancelled' });
    const kept = [...commands];
    if (active.length) kept.push({ type: 'cancel_steps', nodeIds: active });
    state.status = status;
    if (error) state.error = error;
    else delete state.error;
    kept.push({ type: 'complete', status, ...(error ? { error } : {}) });
    return { changed: true, commands: kept };
  }

  /** Completes the run when every node is decided and nothing is active. */
  private finish(commands: Command[]): CursorStep {
    const { graph } = this;
    const terminate = commands.find((c) => c.type === 'dispatch' && isOfKind(graph.node(c.nodeId).type, 'terminal'));
    if (terminate && terminate.type === 'dispatch') {
      const node = graph.node(terminate.nodeId);
      const config = configOf(node, 'terminate');
      this.set(node.id, { status: 'succeeded', attempt: terminate.attempt });
      const rest = commands.filter((c) => c !== terminate);
      const status = config.status === 'failed' ? 'failed' : 'succeeded';
      const message = config.message ?? `terminated by node "${node.id}"`;
      return this.end([...rest, { type: 'terminate', nodeId: node.id, attempt: terminate.attempt }], status, status === 'failed' ? { code: 'terminated', message, nodeId: node.id } : undefined);
    }
    if (this.allSettled()) {
      this.own().status = 'succeeded';
      commands.push({ type: 'complete', status: 'succeeded' });
    }
    return { changed: true, commands };
  }

  /**
   * Decides nodes downstream of `from`: a join-all node runs once every incoming edge is decided
   * and at least one is satisfied (edges of branches not taken are ignored, so a join after a
   * branch runs with the branch that was taken); a join-any node runs on the first satisfied edge;
   * a node none of whose edges can still be satisfied is skipped, and the skip propagates.
   */
  private propagate(from: string[], commands: Command[]): void {
    const todo = [...from];
    for (let i = 0; i < todo.length; i++) {
      for (const e of this.graph.outgoing.get(todo[i]!) ?? []) {
        if (this.decide(e.target, commands)) todo.push(e.target);
      }
    }
  }

  /** Dispatches or skips `target` if its incoming edges allow; true when it was skipped (propagate on). */
  private decide(target: string, commands: Command[]): boolean {
    const node = this.cur!.nodes[target];
    if (isDecided(node)) return false;
    const { pending, satisfied } = this.incomingEdges(target);
    const anySatisfied = satisfied > 0;
    const allDecided = pending === 0;
    if (anySatisfied && (this.graph.node(target).join === 'any' || allDecided)) {
      this.dispatch(target, commands);
      return false;
    }
    if (allDecided && !anySatisfied) {
      this.set(target, { status: 'skipped', attempt: node?.attempt ?? 0 });
      commands.push({ type: 'skip', nodeId: target });
      return true;
    }
    return false;
  }

  /**
   * Retry of a finished failed/cancelled run: the failed (not caught) and cancelled nodes (or `fromNodeId`) and
   * everything downstream of them go back to pending, successful steps are kept, and whatever is
   * ready runs again with the next attempt number.
   */
  private retryRun(fromNodeId?: string): CursorStep {
    const { graph } = this;
    const current = this.cur!;
    if (current.status !== 'failed' && current.status !== 'cancelled') return UNCHANGED();
    if (fromNodeId !== undefined && !graph.nodes.has(fromNodeId)) return UNCHANGED();
    const roots = fromNodeId !== undefined
      ? [fromNodeId]
      : Object.entries(current.nodes).filter(([, n]) => (n.status === 'failed' && !n.caught) || n.status === 'cancelled').map(([id]) => id);
    const reset = new Set<string>();
    for (const r of roots) for (const id of descendants(graph, r)) reset.add(id);
    // Skipped nodes downstream of a reset node were decided by it: decide them again too.
    const state = this.own();
    state.status = 'running';
    delete state.error;
    for (const id of reset) {
      const prev = state.nodes[id];
      if (prev) this.set(id, { status: 'pending', attempt: prev.attempt });
    }
    const commands: Command[] = [{ type: 'reopen' }];
    for (const id of graph.order) {
      if (!reset.has(id)) continue;
      if (id === graph.triggerId) this.dispatch(id, commands);
      else if (this.decide(id, commands)) this.propagate([id], commands);
    }
    return this.finish(commands);
  }
}

const bump = (counts: Int32Array, slot: number, by: number) => {
  counts[slot] = counts[slot]! + by;
};

const UNCHANGED = (): CursorStep => ({ changed: false, commands: [] });

const isFinishedStatus = (status: RunState['status']) => status === 'succeeded' || status === 'failed' || status === 'cancelled';

/** Every node of the graph downstream of `from`, `from` included. */
export function descendants(graph: WorkflowGraph, from: string): Set<string> {
  const seen = new Set([from]);
  const todo = [from];
  while (todo.length) {
    for (const e of graph.outgoing.get(todo.pop()!) ?? []) {
      if (seen.has(e.target)) continue;
      seen.add(e.target);
      todo.push(e.target);
    }
  }
  return seen;
}
