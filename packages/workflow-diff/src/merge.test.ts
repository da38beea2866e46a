import { describe, expect, it } from 'vitest';
import { mergeWorkflows } from './merge';

const node = (id: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id, type: 'transform', config, ...extra });
const base = {
  nodes: [{ id: 't', type: 'trigger', config: {} }, node('a', { expression: 'input.x' }, { position: { x: 0, y: 0 } }), node('b', { expression: 'input.y' })],
  edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }],
  settings: { output: 'steps.b.output' },
};
const edit = (d: typeof base, f: (n: Record<string, unknown>) => Record<string, unknown> | null) => ({ ...d, nodes: d.nodes.map((n) => f(structuredClone(n))).filter((n) => n !== null) });

describe('mergeWorkflows (three-way: pinned template version, user workflow, new template version)', () => {
  it('takes the new version where the user changed nothing, and keeps user edits the template did not touch', () => {
    const ours = edit(base, (n) => (n.id === 'a' ? { ...n, config: { expression: 'input.x2' }, position: { x: 99, y: 9 } } : n));
    const theirs = { ...edit(base, (n) => (n.id === 'b' ? { ...n, config: { expression: 'upper(input.y)' } } : n)), settings: { output: 'steps.b.output', timeoutMs: 60000 } };
    const r = mergeWorkflows(base, ours, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged.nodes).toEqual([
      { id: 't', type: 'trigger', config: {} },
      { id: 'a', type: 'transform', config: { expression: 'input.x2' }, position: { x: 99, y: 9 } },
      { id: 'b', type: 'transform', config: { expression: 'upper(input.y)' } },
    ]);
    expect(r.merged.settings).toEqual({ output: 'steps.b.output', timeoutMs: 60000 });
  });

  it('reports a field both changed differently at its node and path, keeps the user value until resolved, and applies a resolution', () => {
    const ours = edit(base, (n) => (n.id === 'b' ? { ...n, config: { expression: 'lower(input.y)' } } : n));
    const theirs = edit(base, (n) => (n.id === 'b' ? { ...n, config: { expression: 'upper(input.y)' } } : n));
    const r = mergeWorkflows(base, ours, theirs);
    expect(r.conflicts).toEqual([{ path: 'nodes.b.config.expression', nodeId: 'b', base: 'input.y', ours: 'lower(input.y)', theirs: 'upper(input.y)' }]);
    expect((r.merged.nodes as { config: unknown }[])[2]!.config).toEqual({ expression: 'lower(input.y)' });
    const taken = mergeWorkflows(base, ours, theirs, { 'nodes.b.config.expression': 'theirs' });
    expect(taken.conflicts).toEqual([]);
    expect(taken.resolved).toEqual(['nodes.b.config.expression']);
    expect((taken.merged.nodes as { config: unknown }[])[2]!.config).toEqual({ expression: 'upper(input.y)' });
  });

  it('merges nodes and edges either side added; a removal of an untouched node is applied with its edges', () => {
    const ours = { ...base, nodes: [...base.nodes, node('mine', { expression: '`1`' })], edges: [...base.edges, { source: 'b', target: 'mine' }] };
    const theirs = { ...edit(base, (n) => (n.id === 'b' ? null : n)), edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'c' }], nodes: [...edit(base, (n) => (n.id === 'b' ? null : n)).nodes, node('c', { expression: '`2`' })], settings: { output: 'steps.c.output' } };
    const r = mergeWorkflows(base, ours, theirs);
    expect(r.conflicts).toEqual([]);
    expect((r.merged.nodes as { id: string }[]).map((n) => n.id)).toEqual(['t', 'a', 'c', 'mine']);
    // b is gone (removed by the template, untouched by the user), so is the user's edge from it.
    expect(r.merged.edges).toEqual([{ source: 't', target: 'a' }, { source: 'a', target: 'c' }]);
    expect(r.merged.settings).toEqual({ output: 'steps.c.output' });
  });

  it('reports a node the template removed and the user changed at nodes.ID', () => {
    const ours = edit(base, (n) => (n.id === 'b' ? { ...n, config: { expression: 'lower(input.y)' } } : n));
    const theirs = edit(base, (n) => (n.id === 'b' ? null : n));
    const r = mergeWorkflows(base, ours, theirs);
    expect(r.conflicts.map((c) => [c.path, c.nodeId, c.theirs])).toEqual([['nodes.b', 'b', undefined]]);
    const dropped = mergeWorkflows(base, ours, theirs, { 'nodes.b': 'theirs' });
    expect((dropped.merged.nodes as { id: string }[]).map((n) => n.id)).toEqual(['t', 'a']);
    expect(dropped.merged.edges).toEqual([{ source: 't', target: 'a' }]);
  });

  it('is the new version itself when the user never edited the installed workflow', () => {
    const theirs = edit(base, (n) => (n.id === 'a' ? { ...n, config: { expression: 'input.z' } } : n));
    expect(mergeWorkflows(base, base, theirs).merged).toEqual(theirs);
  });
});
