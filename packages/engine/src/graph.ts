import type { PiiSettings, RetryPolicy, WorkflowDefinition } from '@weft/workflow-schema';

export interface CompiledNode {
  id: string;
  type: string;
  /** The config as parsed by the node type's schema (defaults applied). */
  config: Record<string, unknown>;
  join: 'all' | 'any';
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** A loop node's body, compiled with the graph (publish and load compile it once, with its parent). */
  body?: WorkflowGraph;
}

export interface CompiledEdge {
  source: string;
  target: string;
  /** The named output this edge leaves by; undefined means "whenever the source succeeds". */
  handle?: string;
}

/**
 * Dense slots for the engine's per-run counters, precomputed once per graph so that a
 * transition costs what it changes, not the width of the graph (see RunCursor).
 */
export interface EdgeIndex {
  /** Node id → slot (its position in `order`, or after it for nodes outside the order). */
  readonly slot: ReadonlyMap<string, number>;
  /** Incoming edges per target slot. */
  readonly inDegree: Int32Array;
  /** 1 when the slot's node is in `order` (the nodes a run must decide before it succeeds). */
  readonly ordered: Uint8Array;
  /** Edges by source id, with the target's slot: every incoming edge of every node, once. */
  readonly out: ReadonlyMap<string, readonly { target: number; handle: string | undefined }[]>;
}

/** A validated workflow: nodes and edges in maps, with a topological order. */
export class WorkflowGraph {
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  readonly incoming: ReadonlyMap<string, readonly CompiledEdge[]>;
  readonly outgoing: ReadonlyMap<string, readonly CompiledEdge[]>;
  readonly order: readonly string[];
  readonly edgeIndex: EdgeIndex;

  constructor(
    nodes: CompiledNode[],
    edges: CompiledEdge[],
    readonly triggerId: string,
    readonly definition: WorkflowDefinition,
    /**
     * The workflow's root `settings.pii`, on the root graph and on every for_each body graph in
     * it alike: a step of any graph reads its node's redaction from the graph it runs in, with
     * no second load of the root graph.
     */
    readonly pii: PiiSettings | undefined = definition.settings?.pii,
  ) {
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
    const incoming = new Map<string, CompiledEdge[]>(nodes.map((n) => [n.id, []]));
    const outgoing = new Map<string, CompiledEdge[]>(nodes.map((n) => [n.id, []]));
    for (const e of edges) {
      incoming.get(e.target)?.push(e);
      outgoing.get(e.source)?.push(e);
    }
    this.incoming = incoming;
    this.outgoing = outgoing;
    this.order = topologicalOrder(nodes.map((n) => n.id), outgoing) ?? [];
    this.edgeIndex = buildEdgeIndex(this.order, this.nodes, incoming);
  }

  node(id: string): CompiledNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`unknown node ${id}`);
    return n;
  }

  /** Nodes with no outgoing edge: their outputs form the run output when settings.output is absent. */
  sinks(): string[] {
    return this.order.filter((id) => (this.outgoing.get(id)?.length ?? 0) === 0);
  }

  get settings() {
    return this.definition.settings ?? {};
  }
}

function buildEdgeIndex(
  order: readonly string[],
  nodes: ReadonlyMap<string, CompiledNode>,
  incoming: ReadonlyMap<string, readonly CompiledEdge[]>,
): EdgeIndex {
  const slot = new Map<string, number>(order.map((id, i) => [id, i]));
  for (const id of nodes.keys()) if (!slot.has(id)) slot.set(id, slot.size);
  const inDegree = new Int32Array(slot.size);
  const ordered = new Uint8Array(slot.size).fill(1, 0, order.length);
  const out = new Map<string, { target: number; handle: string | undefined }[]>();
  for (const [target, edges] of incoming) {
    const t = slot.get(target)!;
    inDegree[t] = edges.length;
    for (const e of edges) {
      let list = out.get(e.source);
      if (!list) out.set(e.source, (list = []));
      list.push({ target: t, handle: e.handle });
    }
  }
  return { slot, inDegree, ordered, out };
}

/** Kahn's algorithm; undefined when the graph has a cycle. */
export function topologicalOrder(
  ids: readonly string[],
  outgoing: ReadonlyMap<string, readonly { target: string }[]>,
): string[] | undefined {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const id of ids) {
    for (const e of outgoing.get(id) ?? []) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  }
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of outgoing.get(id) ?? []) {
      const d = (indegree.get(e.target) ?? 0) - 1;
      indegree.set(e.target, d);
      if (d === 0) queue.push(e.target);
    }
  }
  return order.length === ids.length ? order : undefined;
}

/** Every elementary cycle is overkill for an error message: one cycle per strongly connected component. */
export function findCycles(
  ids: readonly string[],
  outgoing: ReadonlyMap<string, readonly { target: string }[]>,
): string[][] {
  // Tarjan's SCC, iterative-enough for workflow sizes (recursion depth = longest path).
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const strongConnect = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of outgoing.get(v) ?? []) {
      if (!idx.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      const selfLoop = (outgoing.get(v) ?? []).some((e) => e.target === v);
      if (scc.length > 1 || selfLoop) cycles.push(orderCycle(scc.reverse(), outgoing));
    }
  };
  for (const id of ids) if (!idx.has(id)) strongConnect(id);
  return cycles;
}

/**
 * Orders an SCC's members along edges so the message reads a → b → c → a. The greedy walk names
 * many members, but it can stop at a node with no edge back to the start; then the shortest
 * cycle through the start is taken instead, so that every arrow in the message is a real edge.
 */
function orderCycle(scc: string[], outgoing: ReadonlyMap<string, readonly { target: string }[]>): string[] {
  const members = new Set(scc);
  const start = [...scc].sort()[0]!;
  const targets = (id: string) => (outgoing.get(id) ?? []).map((e) => e.target);
  const path = [start];
  const seen = new Set(path);
  let current = start;
  for (;;) {
    const next = targets(current).find((t) => members.has(t) && !seen.has(t));
    if (!next) break;
    path.push(next);
    seen.add(next);
    current = next;
  }
  if (targets(current).includes(start)) return path;
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of targets(v)) {
      if (w === start) {
        const cycle = [v];
        while (cycle[0] !== start) cycle.unshift(parent.get(cycle[0]!)!);
        return cycle;
      }
      if (members.has(w) && !parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return path;
}
