import type { Edge as DefEdge, Node as DefNode, WorkflowDefinition as Definition } from '@weft/workflow-schema';

/** The studio's node box and its dagre spacing (apps/studio/src/lib/graph.ts, layout.ts): rank → x, row → y. */
const NODE_W = 220;
const NODE_H = 64;
const RANK_SEP = 80;
const NODE_SEP = 40;

/** Small deterministic PRNG (mulberry32), so every run draws the same graph. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many nodes each rank holds: a fan-out from the trigger, then ranks of about `width`. */
function rankSizes(total: number, width: number): number[] {
  const sizes = [1];
  let left = total - 1;
  for (const n of [Math.min(3, width), Math.min(8, width)]) {
    if (left <= 0) break;
    sizes.push(Math.min(n, left));
    left -= sizes.at(-1)!;
  }
  while (left > 0) {
    sizes.push(Math.min(width, left));
    left -= sizes.at(-1)!;
  }
  return sizes;
}

/**
 * A realistic big workflow: one trigger, then layers of transforms, HTTP requests and branches
 * (`true`/`false` outputs), each node fed by a node of the previous layer near its row, plus extra
 * edges (joins) until there are `edges` edges. Positions come from a layered left-to-right layout with
 * the studio's own spacing, so the canvas opens as users would see it after "auto-layout". The
 * definition is valid (the bench checks it with POST /v1/workflows/validate).
 */
export function bigWorkflow(nodes: number, edges: number, seed = 500): Definition {
  const rand = rng(seed);
  const width = Math.max(1, Math.round(Math.sqrt(nodes) * 0.95));
  const sizes = rankSizes(nodes, width);
  const ranks: DefNode[][] = [];
  const out: DefEdge[] = [];
  const outCount = new Map<string, number>();
  const tallest = Math.max(...sizes);
  let k = 0;

  const addEdge = (source: DefNode, target: DefNode) => {
    const n = outCount.get(source.id) ?? 0;
    outCount.set(source.id, n + 1);
    out.push({ source: source.id, target: target.id, ...(source.type === 'branch' ? { sourceHandle: n % 2 === 0 ? 'true' : 'false' } : {}) });
  };

  for (let r = 0; r < sizes.length; r++) {
    const size = sizes[r]!;
    const top = ((tallest - size) * (NODE_H + NODE_SEP)) / 2;
    const rank: DefNode[] = [];
    for (let i = 0; i < size; i++, k++) {
      const position = { x: r * (NODE_W + RANK_SEP), y: Math.round(top + i * (NODE_H + NODE_SEP)) };
      if (r === 0) {
        rank.push({ id: 'trigger', type: 'trigger', name: 'Order received', config: { inputSchema: { type: 'object', properties: { orderId: { type: 'string' } } } }, position });
        continue;
      }
      const prev = ranks[r - 1]!;
      const parent = prev[Math.min(prev.length - 1, Math.floor(((i + 0.5) * prev.length) / size))]!;
      const from = `steps.${parent.id}.output`;
      const roll = rand();
      const node: DefNode =
        roll < 0.45
          ? { id: `t${k}`, type: 'transform', config: { expression: `{ id: ${from}.id, total: ${from}.total, step: \`${k}\` }` }, position }
          : roll < 0.8
            ? {
                id: `http${k}`,
                type: 'http_request',
                ...(k % 3 === 0 ? { name: `Sync order ${k} to the ledger` } : {}),
                config: { method: k % 2 ? 'POST' : 'GET', url: `https://api.example.com/v1/items/{{ ${from}.id }}?step=${k}`, headers: { 'x-request-id': `{{ input.orderId }}-${k}` } },
                position,
              }
            : { id: `b${k}`, type: 'branch', config: { condition: `${from}.total > \`${k}\`` }, position };
      rank.push(node);
      addEdge(parent, node);
    }
    ranks.push(rank);
  }

  // Joins: a second input from a neighbour row of the previous rank, until the edge count is reached.
  const candidates = ranks.slice(2).flatMap((rank, r) => rank.map((node, i) => ({ node, prev: ranks[r + 1]!, i, size: rank.length })));
  const have = new Set(out.map((e) => `${e.source}>${e.target}`));
  for (let guard = 0; out.length < edges && guard < edges * 20; guard++) {
    const c = candidates[Math.floor(rand() * candidates.length)]!;
    const row = Math.floor(((c.i + 0.5) * c.prev.length) / c.size) + (rand() < 0.5 ? -1 : 1);
    const source = c.prev[Math.max(0, Math.min(c.prev.length - 1, row))]!;
    if (have.has(`${source.id}>${c.node.id}`)) continue;
    have.add(`${source.id}>${c.node.id}`);
    addEdge(source, c.node);
  }
  return { nodes: ranks.flat(), edges: out };
}
