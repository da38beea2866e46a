import { compileOrThrow } from './compile';
import type { WorkflowGraph } from './graph';

/** An edge of a test graph: source, target and, for a named output, its handle. */
export type TestEdge = [source: string, target: string, handle?: string];

/** A definition from a trigger `t` and terse node and edge lists (transform by default; branch and transform get a `@` expression). For tests. */
export function testDefinition(nodes: Record<string, { type?: string; config?: Record<string, unknown> }>, edges: TestEdge[]) {
  return {
    nodes: [
      { id: 't', type: 'trigger', config: {} },
      ...Object.entries(nodes).map(([id, n]) => {
        const type = n.type ?? 'transform';
        const base = type === 'branch' ? { condition: '@' } : type === 'transform' ? { expression: '@' } : {};
        return { id, type, config: { ...base, ...n.config } };
      }),
    ],
    edges: edges.map(([source, target, sourceHandle]) => (sourceHandle ? { source, target, sourceHandle } : { source, target })),
  };
}

/** The compiled graph of `testDefinition`. For tests. */
export const testGraph = (...args: Parameters<typeof testDefinition>): WorkflowGraph => compileOrThrow(testDefinition(...args));
