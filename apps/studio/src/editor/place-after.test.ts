import { describe, expect, it } from 'vitest';
import type { AppEdge, AppNode, Catalog } from '../lib/types';
import { placeAfter } from './place-after';

const n = (id: string, type: string, x: number, y: number, extra: Partial<AppNode> = {}): AppNode =>
  ({ id, type: 'step', position: { x, y }, data: { type, localId: id, config: {} }, ...extra }) as AppNode;
const catalog = { branch: { handles: ['true', 'false'] }, transform: { handles: [] } } as unknown as Catalog;

describe('placeAfter', () => {
  it('puts the node to the right of the one selected node and connects it after that node', () => {
    const nodes = [n('trigger', 'trigger', 0, 0, { selected: true })];
    expect(placeAfter({ nodes, edges: [] }, catalog, 'transform')).toEqual({ position: { x: 300, y: 0 }, from: { source: 'trigger' } });
  });

  it('adds nothing after when no node or several are selected, or when the new node is a trigger', () => {
    const one = [n('a', 'transform', 0, 0, { selected: true })];
    expect(placeAfter({ nodes: [n('a', 'transform', 0, 0)], edges: [] }, catalog, 'transform')).toBeNull();
    expect(placeAfter({ nodes: [...one, n('b', 'transform', 0, 0, { selected: true })], edges: [] }, catalog, 'transform')).toBeNull();
    expect(placeAfter({ nodes: one, edges: [] }, catalog, 'trigger')).toBeNull();
  });

  it('steps down past nodes already there, and takes the first free output of a branch', () => {
    const nodes = [n('b', 'branch', 0, 0, { selected: true }), n('t', 'transform', 300, 0)];
    const edges = [{ id: 'e', source: 'b', target: 't', sourceHandle: 'true' }] as AppEdge[];
    expect(placeAfter({ nodes, edges }, catalog, 'transform')).toEqual({ position: { x: 300, y: 104 }, from: { source: 'b', sourceHandle: 'false' } });
  });

  it('stays in the for_each body of the selected node', () => {
    const nodes = [n('loop', 'for_each', 0, 0), n('loop.x', 'transform', 20, 60, { selected: true, parentId: 'loop' })];
    expect(placeAfter({ nodes, edges: [] }, catalog, 'transform')).toMatchObject({ parentId: 'loop', position: { x: 320, y: 60 }, from: { source: 'loop.x' } });
    expect(placeAfter({ nodes, edges: [] }, catalog, 'for_each')).toBeNull();
  });
});
