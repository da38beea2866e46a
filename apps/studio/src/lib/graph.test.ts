import { describe, expect, it } from 'vitest';
import { autoLayout } from './auto-layout';
import { toCanvas, toDefinition, withoutPositions } from './graph';
import { STARTERS } from './starters';

const loop = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
    {
      id: 'each',
      type: 'for_each',
      name: 'Every user',
      config: {
        items: 'input.users',
        concurrency: 2,
        body: {
          nodes: [
            { id: 'start', type: 'trigger', config: {}, position: { x: 24, y: 56 } },
            { id: 'trigger', type: 'transform', config: { expression: 'item' }, position: { x: 300, y: 56 } },
          ],
          edges: [{ id: 'inner', source: 'start', target: 'trigger' }],
        },
      },
      position: { x: 300, y: 0 },
    },
  ],
  edges: [{ source: 'trigger', target: 'each' }],
  settings: { output: 'steps.each.output' },
};

describe('toCanvas and toDefinition', () => {
  it('give back exactly the definition they were given, for every starter', () => {
    for (const s of STARTERS) expect(toDefinition(toCanvas(s.definition))).toEqual(s.definition);
  });

  it('draw a for_each body as children of its group, ids scoped so body ids may repeat outer ones', () => {
    const doc = toCanvas(loop);
    expect(doc.nodes.map((n) => [n.id, n.type, n.parentId])).toEqual([
      ['trigger', 'step', undefined],
      ['each', 'loop', undefined],
      ['each.start', 'step', 'each'],
      ['each.trigger', 'step', 'each'],
    ]);
    expect(doc.nodes[1]!.data.config).toEqual({ items: 'input.users', concurrency: 2 });
    expect(doc.edges.map((e) => [e.source, e.target])).toEqual([
      ['each.start', 'each.trigger'],
      ['trigger', 'each'],
    ]);
    expect(toDefinition(doc)).toEqual(loop);
  });

  it('lay out nodes that have no position, and positions are all that changes', () => {
    const bare = withoutPositions(STARTERS[1]!.definition);
    const doc = toCanvas(bare);
    const xs = doc.nodes.map((n) => n.position.x);
    expect(new Set(xs).size).toBeGreaterThan(2);
    expect(withoutPositions(toDefinition(doc))).toEqual(bare);
  });
});

describe('autoLayout', () => {
  it('places nodes left to right in dependency order and sizes groups around their body', () => {
    const doc = autoLayout(toCanvas(loop));
    const at = (id: string) => doc.nodes.find((n) => n.id === id)!;
    expect(at('trigger').position.x).toBeLessThan(at('each').position.x);
    expect(at('each.start').position.x).toBeLessThan(at('each.trigger').position.x);
    expect(Number(at('each').style?.width)).toBeGreaterThan(at('each.trigger').position.x);
    expect(withoutPositions(toDefinition(doc))).toEqual(withoutPositions(loop));
  });
});
