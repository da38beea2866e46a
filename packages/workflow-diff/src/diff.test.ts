import { describe, expect, it } from 'vitest';
import { diffWorkflows } from './index';

const base = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
    { id: 'fetch', type: 'http_request', config: { method: 'GET', url: 'https://a.example/items', headers: { Accept: 'application/json' } }, position: { x: 0, y: 100 } },
    { id: 'names', type: 'transform', config: { expression: 'steps.fetch.output.body' } },
  ],
  edges: [
    { id: 'e1', source: 'trigger', target: 'fetch' },
    { id: 'e2', source: 'fetch', target: 'names' },
  ],
  settings: { timeoutMs: 60000 },
};
const clone = <T>(v: T): T => structuredClone(v);

describe('diffWorkflows', () => {
  it('finds nothing between a definition and itself', () => {
    const d = diffWorkflows(base, clone(base));
    expect(d.same).toBe(true);
    expect(d.nodes).toEqual({ added: [], removed: [], changed: [] });
  });

  it('treats moving nodes on the canvas and renaming edge ids as no change', () => {
    const moved = clone(base);
    moved.nodes[1]!.position = { x: 500, y: 500 };
    moved.edges[0]!.id = 'another';
    expect(diffWorkflows(base, moved).same).toBe(true);
  });

  it('lists a node added with its type and the edge that connects it', () => {
    const next = clone(base);
    next.nodes.push({ id: 'notify', type: 'http_request', config: { method: 'POST', url: 'https://hooks.example' } } as never);
    next.edges.push({ id: 'e3', source: 'names', target: 'notify' });
    const d = diffWorkflows(base, next);
    expect(d.nodes.added).toEqual([{ id: 'notify', type: 'http_request' }]);
    expect(d.edges.added).toEqual([{ source: 'names', target: 'notify' }]);
    expect(d.same).toBe(false);
  });

  it('lists a node removed and the edges that went with it', () => {
    const next = clone(base);
    next.nodes.pop();
    next.edges.pop();
    const d = diffWorkflows(base, next);
    expect(d.nodes.removed).toEqual([{ id: 'names', type: 'transform' }]);
    expect(d.edges.removed).toEqual([{ source: 'fetch', target: 'names' }]);
  });

  it('names each changed config field by its nested path with the old and the new value', () => {
    const next = clone(base);
    next.nodes[1]!.config = { method: 'POST', url: 'https://a.example/items', headers: { Accept: 'text/plain', 'X-Api-Key': '{{ secrets.KEY }}' } } as never;
    const [change] = diffWorkflows(base, next).nodes.changed;
    expect(change?.id).toBe('fetch');
    expect(change?.fields).toEqual(
      expect.arrayContaining([
        { path: 'config.method', change: 'changed', from: 'GET', to: 'POST' },
        { path: 'config.headers.Accept', change: 'changed', from: 'application/json', to: 'text/plain' },
        { path: 'config.headers["X-Api-Key"]', change: 'added', to: '{{ secrets.KEY }}' },
      ]),
    );
    expect(change?.fields).toHaveLength(3);
  });

  it('reports a field removed from a config with the value it had', () => {
    const next = clone(base);
    delete (next.nodes[1]!.config as { headers?: unknown }).headers;
    expect(diffWorkflows(base, next).nodes.changed[0]?.fields).toEqual([{ path: 'config.headers', change: 'removed', from: { Accept: 'application/json' } }]);
  });

  it('records a change of node type with the type it had before', () => {
    const next = clone(base);
    next.nodes[2] = { id: 'names', type: 'function', config: { name: 'names', args: {} } } as never;
    const [change] = diffWorkflows(base, next).nodes.changed;
    expect(change).toMatchObject({ id: 'names', type: 'function', fromType: 'transform' });
  });

  it('tells edges apart by the branch handle they leave from', () => {
    const a = { nodes: [], edges: [{ source: 'check', target: 'yes', sourceHandle: 'true' }] };
    const b = { nodes: [], edges: [{ source: 'check', target: 'yes', sourceHandle: 'false' }] };
    const d = diffWorkflows(a, b);
    expect(d.edges.added).toEqual([{ source: 'check', target: 'yes', sourceHandle: 'false' }]);
    expect(d.edges.removed).toEqual([{ source: 'check', target: 'yes', sourceHandle: 'true' }]);
  });

  it('diffs a for_each body as a graph of its own instead of arrays by index', () => {
    const loop = (url: string, extra = false) => ({
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        {
          id: 'each', type: 'for_each', config: {
            items: 'input.list',
            body: {
              nodes: [{ id: 'trigger', type: 'trigger', config: {} }, ...(extra ? [{ id: 'log', type: 'transform', config: { expression: 'item' } }] : []), { id: 'call', type: 'http_request', config: { method: 'GET', url } }],
              edges: [{ source: 'trigger', target: 'call' }],
            },
          },
        },
      ],
      edges: [{ source: 'trigger', target: 'each' }],
    });
    const [change] = diffWorkflows(loop('https://a.example'), loop('https://b.example', true)).nodes.changed;
    expect(change?.id).toBe('each');
    expect(change?.fields).toEqual([]);
    expect(change?.body?.nodes.added).toEqual([{ id: 'log', type: 'transform' }]);
    expect(change?.body?.nodes.changed[0]?.fields).toEqual([{ path: 'config.url', change: 'changed', from: 'https://a.example', to: 'https://b.example' }]);
  });

  it('lists settings changed, added and removed', () => {
    const next = { ...clone(base), settings: { output: 'steps.names.output' } };
    expect(diffWorkflows(base, next).settings).toEqual(
      expect.arrayContaining([
        { path: 'timeoutMs', change: 'removed', from: 60000 },
        { path: 'output', change: 'added', to: 'steps.names.output' },
      ]),
    );
  });

  it('reads an incomplete draft without throwing (nodes without ids or configs are skipped or empty)', () => {
    const draft = { nodes: [{ type: 'transform' }, { id: 'fetch', type: 'http_request' }], edges: [{ source: 'fetch' }] };
    const d = diffWorkflows(base, draft);
    expect(d.nodes.removed.map((n) => n.id)).toEqual(['trigger', 'names']);
    expect(d.nodes.changed[0]?.fields.every((f) => f.change === 'removed')).toBe(true);
    expect(diffWorkflows(null, undefined).same).toBe(true);
  });
});
